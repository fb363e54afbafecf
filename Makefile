# SecureTransfer build. Plain make, no generator: every src/<module>/*.c is
# compiled into one static library; the two programs and the unit tests link
# it. New modules and tests are picked up without editing this file.
#
#   make            build securetransferd, securetransfer and the web bundle
#   make run        install what is missing, build, start on 127.0.0.1:8080
#   make check      install what is missing, build with -Werror, run every test
#   make check-asan the C unit tests and the API tests under ASan+UBSan
#   make check-torture  the unit tests with the Nth allocation failing, for
#                   every N, under ASan+UBSan (make check runs it unsanitized)
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   make bench      run the benchmarks under bench/
#   make manual-shots  the manual's screenshots (web/manual/img/) made again
#                   from the real pages; commit the result
#   make install    PREFIX=/usr/local DESTDIR= : binaries, web root, sample
#                   config, systemd unit, sysusers.d/tmpfiles.d, man pages

SHELL      := /bin/bash
CC         ?= gcc
BUILD      ?= build
VERSION    := 0.1.0
SANITIZE   ?=

PKGS := libmicrohttpd jansson sqlite3 libsodium libcrypto libcurl inih pangocairo fontconfig libpq lcms2 libcbor

# -Wconversion without -Wsign-conversion: the sign half fires on every size_t
# handed to libmicrohttpd, jansson and SQLite and hides the useful warnings.
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion \
        -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-qual \
        -Wformat=2 -Wformat-security -Wwrite-strings -Wvla -fno-common \
        -Wno-format-nonliteral
HARDEN := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c17 $(WARN) -Werror $(HARDEN) $(CFLAGS) -Isrc \
              -DST_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS))
LDFLAGS ?=

# Installation paths. The daemon's default server.web_root is compiled in
# from DATADIR (src/util/config.c), so an installed securetransferd finds
# its front end and mail texts without a setting.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
SBINDIR     ?= $(PREFIX)/sbin
DATADIR     ?= $(PREFIX)/share/securetransfer
MANDIR      ?= $(PREFIX)/share/man
SYSCONFDIR  ?= $(if $(filter /usr /usr/local,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
STATEDIR    ?= /var/lib/securetransfer
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS := $(shell pkg-config --libs $(PKGS)) -lcsv -lunistring -lpthread -lm

ifeq ($(SANITIZE),1)
  ALL_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=3,$(ALL_CFLAGS)) -O1 \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
  ALL_LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC   := $(filter-out src/securetransferd/% src/cli/%,$(wildcard src/*/*.c))
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o
D_OBJ     := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/securetransferd/*.c))
CLI_OBJ   := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/cli/*.c))
UNIT_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/unit/*.c))
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
TOOLS     := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

DAEMON := $(BUILD)/securetransferd
CLIENT := $(BUILD)/securetransfer
UNIT   := $(BUILD)/unit-tests
WEB_STAMP := web/dist/.stamp

.PHONY: all run check check-asan check-torture check-ceph unit fuzz fuzz-smoke bench web setup format manual-shots \
        check-format clean distclean install FORCE
all: $(DAEMON) $(if $(CLI_OBJ),$(CLIENT)) $(TOOLS) $(WEB_STAMP)

# V=1 shows the full command lines.
Q := $(if $(V),,@)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<",true)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The compiled-in data folder: config.o is rebuilt when DATADIR changes.
$(BUILD)/paths.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR)' > $@
$(BUILD)/obj/src/util/config.o: $(BUILD)/paths.stamp
$(BUILD)/obj/src/util/config.o: ALL_CFLAGS += -DST_DATADIR='"$(DATADIR)"'

# The schema migrations are compiled into the binary.
$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-migrations
	@mkdir -p $(dir $@)
	$(Q)scripts/embed-migrations $@ $(MIGRATIONS)
$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libst.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(DAEMON): $(D_OBJ) $(BUILD)/libst.a
	@$(if $(Q),echo "  LD      $@",true)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(D_OBJ) $(BUILD)/libst.a $(LIBS)

$(CLIENT): $(CLI_OBJ) $(BUILD)/libst.a
	@$(if $(Q),echo "  LD      $@",true)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libst.a $(LIBS)

$(UNIT): $(UNIT_OBJ) $(BUILD)/libst.a
	@$(if $(Q),echo "  LD      $@",true)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libst.a $(LIBS)

# Test tools (vector generator, cross-implementation CLI): one per file.
.PRECIOUS: $(BUILD)/obj/tests/tools/%.o
$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/libst.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@",true)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libst.a $(LIBS)

# The key-transparency log's public key goes into the bundle (and the CLI's
# configuration); docs/transparency.md. LOG_PUB names a deployment's
# log.pub (`securetransferd log key --config F` prints it); the default is
# the development key, which the daemon makes once in the sample
# configuration's secrets folder, where `make run` and the tests use it.
LOG_PUB ?= data/secrets/log.pub
ifeq ($(LOG_PUB),data/secrets/log.pub)
$(LOG_PUB): | $(DAEMON)
	$(Q)$(DAEMON) log key --config config/securetransfer.example.ini >/dev/null
endif

# The web bundle: esbuild writes hashed file names; the stamp tracks sources.
$(WEB_STAMP): $(shell find web/src web/public web/manual web/build.mjs -type f 2>/dev/null) package-lock.json $(LOG_PUB)
	LOG_PUB=$(LOG_PUB) node web/build.mjs
	@touch $@
web: $(WEB_STAMP)

setup:
	@scripts/setup $(SETUP_FLAGS)

# The manual's screenshots, made by tests/browser/manual.test.mjs from the real
# pages (a real server and Chromium walk the manual's tasks) into a scratch
# folder; only when every step passed do they replace web/manual/img/*.png.
# Run it after a change to a page the manual shows, look at them, commit them.
MANUAL_SHOTS := $(BUILD)/manual-shots/img
manual-shots: all
	rm -rf $(MANUAL_SHOTS) && mkdir -p $(MANUAL_SHOTS)
	ST_MANUAL_SHOTS=$(MANUAL_SHOTS) nice -n 10 node --test --test-concurrency=1 tests/browser/manual.test.mjs
	rm -f web/manual/img/*.png
	cp $(MANUAL_SHOTS)/*.png web/manual/img/
	$(MAKE) web
	@git status --short web/manual/img

# Paths in the unit and the sample config follow the variables above; an
# existing $(SYSCONFDIR)/securetransfer/securetransferd.ini is kept.
SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@DATADIR@|$(DATADIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g'
install: all
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(DAEMON) $(DESTDIR)$(SBINDIR)/securetransferd
	install -m 0755 $(CLIENT) $(DESTDIR)$(BINDIR)/securetransfer
	rm -rf $(DESTDIR)$(DATADIR)/web
	cp -R web/dist $(DESTDIR)$(DATADIR)/web
	rm -f $(DESTDIR)$(DATADIR)/web/.stamp
	find $(DESTDIR)$(DATADIR)/web -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
	install -m 0644 docs/securetransfer.1 $(DESTDIR)$(MANDIR)/man1/securetransfer.1
	install -m 0644 docs/securetransferd.8 $(DESTDIR)$(MANDIR)/man8/securetransferd.8
	$(SUBST) dist/securetransferd.service > $(DESTDIR)$(UNITDIR)/securetransferd.service
	$(SUBST) dist/sysusers.conf > $(DESTDIR)$(SYSUSERSDIR)/securetransfer.conf
	$(SUBST) dist/tmpfiles.conf > $(DESTDIR)$(TMPFILESDIR)/securetransfer.conf
	chmod 0644 $(DESTDIR)$(UNITDIR)/securetransferd.service \
		$(DESTDIR)$(SYSUSERSDIR)/securetransfer.conf $(DESTDIR)$(TMPFILESDIR)/securetransfer.conf
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/securetransfer
	sed -e 's|^web_root = .*|web_root = $(DATADIR)/web|' -e 's|\./data/|$(STATEDIR)/|g' \
		-e 's|^expose_on_main = true|expose_on_main = false|' \
		-e '/^\[ops\]/,/^\[/s|^listen =$$|listen = 127.0.0.1:8091|' \
		config/securetransfer.example.ini > $(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini.example
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini.example
	@if [ ! -e $(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini ]; then \
		install -m 0640 $(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini.example \
			$(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini; \
	else echo "install: kept $(DESTDIR)$(SYSCONFDIR)/securetransfer/securetransferd.ini"; fi

run: setup all
	scripts/run-dev

unit: $(UNIT)
	$(UNIT)

check: setup
	$(MAKE) all $(UNIT)
	scripts/check-source
	$(UNIT) --torture
	tests/run-all

# The allocation-failure mode of the unit tests (STYLE rule 26): each test
# of the torture set once per allocation, the Nth failing, under
# ASan+UBSan+LeakSanitizer (tests/unit/unit.c; ST_TORTURE_MAX caps the
# runs per test, default 400). A substring picks other tests:
# make check-torture TORTURE=envelope_
check-torture:
	$(MAKE) BUILD=build-asan SANITIZE=1 build-asan/unit-tests
	build-asan/unit-tests --torture $(TORTURE)

check-asan: setup
	$(MAKE) BUILD=build-asan SANITIZE=1 all build-asan/unit-tests
	ST_BUILD=build-asan tests/run-all --asan

# The store tests against Ceph's radosgw on a one-node cluster: not set up
# on the shared test machine; the target says why instead of failing late.
check-ceph:
	@echo "check-ceph: not available here. A one-node Ceph cluster (ceph-mon, ceph-mgr," >&2
	@echo "ceph-osd with a BlueStore file, radosgw) needs a few GiB of disk and memory," >&2
	@echo "a keyring and minutes of start-up on every run; on the 2 shared cores of this" >&2
	@echo "machine that was not made to work in reasonable time (README: 'Testing the S3" >&2
	@echo "store'). make check runs the same store tests on s3rver." >&2
	@exit 2

# libFuzzer targets: clang, ASan+UBSan, the library rebuilt in build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c17 -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all $(shell pkg-config --cflags $(PKGS))
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build-fuzz/obj/%.o) build-fuzz/obj/gen/migrations.o
build-fuzz/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -c $< -o $@
FUZZ_OBJ_CFLAGS := $(FUZZ_CFLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%)
.PRECIOUS: build-fuzz/obj/%.o
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC/fuzz $<",true)
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -c $< -o $@
build-fuzz/%: fuzz/%.c $(FUZZ_LIB_OBJ)
	@$(if $(Q),echo "  LD/fuzz $@",true)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
	scripts/fuzz-run $(FUZZ_SECONDS) $^
fuzz-smoke: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
	scripts/fuzz-run 5 $^

# nginx, wrk: the references and the load generator (scripts/setup --bench).
bench: SETUP_FLAGS := --bench
bench: setup all
	ST_BUILD=$(BUILD) bench/run-all

format:
	clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/unit/*.[ch]' 'fuzz/*.c')
check-format:
	clang-format --dry-run -Werror $$(git ls-files 'src/*.[ch]' 'tests/unit/*.[ch]' 'fuzz/*.c')

clean:
	rm -rf build build-asan build-fuzz web/dist
distclean: clean
	rm -rf node_modules data

-include $(shell find $(BUILD) build-fuzz -name '*.d' 2>/dev/null)
