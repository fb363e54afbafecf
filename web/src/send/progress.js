// Upload progress (S6): per file and in total, with speed and time left.
// Speed is a moving average over the last few seconds, so a pause (a retry
// after a dropped connection) shows as a slower speed, not as a jump.
// onChange gets a snapshot at most every `interval` ms, plus on every start
// and finish of a file.
const WINDOW_MS = 8000;

export class Progress {
  constructor(files, onChange, { interval = 250, now = () => performance.now() } = {}) {
    this.files = new Map(files.map((f) => [f.index, { index: f.index, total: f.total, sent: 0, state: 'waiting' }]));
    this.total = files.reduce((a, f) => a + f.total, 0);
    this.onChange = onChange || (() => {});
    this.interval = interval;
    this.now = now;
    this.samples = [];
    this.last = 0;
    this.emit(true);
  }

  get sent() {
    let s = 0;
    for (const f of this.files.values()) s += f.sent;
    return s;
  }

  start(index) {
    this.files.get(index).state = 'uploading';
    this.emit(true);
  }

  update(index, sent) {
    const f = this.files.get(index);
    f.sent = Math.max(0, Math.min(f.total, sent));
    this.emit(false);
  }

  finish(index) {
    const f = this.files.get(index);
    f.sent = f.total;
    f.state = 'done';
    this.emit(true);
  }

  done() {
    for (const f of this.files.values()) { f.sent = f.total; f.state = 'done'; }
    this.emit(true);
  }

  /** Bytes per second over the last WINDOW_MS, or null before there is enough to say. */
  speed() {
    const s = this.samples;
    if (s.length < 2) return null;
    const [t0, b0] = s[0], [t1, b1] = s[s.length - 1];
    return t1 - t0 >= 500 ? ((b1 - b0) * 1000) / (t1 - t0) : null;
  }

  snapshot() {
    const sent = this.sent;
    const speed = this.speed();
    const left = speed && speed > 0 ? (this.total - sent) / speed : null;
    return {
      total: this.total,
      sent,
      speed,
      secondsLeft: left,
      files: [...this.files.values()].map((f) => ({ ...f })),
    };
  }

  emit(force) {
    const t = this.now();
    const sent = this.sent;
    this.samples.push([t, sent]);
    while (this.samples.length > 2 && t - this.samples[0][0] > WINDOW_MS) this.samples.shift();
    if (!force && t - this.last < this.interval) return;
    this.last = t;
    this.onChange(this.snapshot());
  }
}
