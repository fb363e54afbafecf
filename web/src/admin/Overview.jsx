// Beheer, "Overzicht" (O6): per organisation and per day or week, the
// messages sent, those to outsiders, the bytes, the SMS sent (a cost line),
// wrong codes, locks, requests and drop-offs, as charts (uPlot, bundled:
// no CDN) and, for screen readers and for reading off numbers, as a
// table; the storage in use and the outbox (mail and SMS queue).
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { errorText, Status } from '../components/Form.jsx';
import { getLang, t } from '../lib/i18n.js';
import { AdminPage, DataList, TableWrap } from './AdminFrame.jsx';
import { admin, bytes, when } from './api.js';

// Colours with at least 3:1 against white (WCAG 1.4.11), told apart by
// dash and point too, not by colour alone.
const SERIES = {
  messages: { stroke: '#154273', width: 2 },
  to_outsiders: { stroke: '#a90061', width: 2, dash: [6, 3] },
  sms: { stroke: '#8a5300', width: 2, dash: [2, 3] },
  requests: { stroke: '#39870c', width: 2, dash: [10, 4] },
  dropoffs: { stroke: '#42145f', width: 2, dash: [1, 6] },
  codes_failed: { stroke: '#d52b1e', width: 2 },
  locks: { stroke: '#154273', width: 2, dash: [6, 3] },
};
const CHARTS = [
  ['overview.chart_traffic', ['messages', 'to_outsiders', 'sms', 'requests', 'dropoffs']],
  ['overview.chart_codes', ['codes_failed', 'locks']],
];
const COLUMNS = ['messages', 'to_outsiders', 'bytes', 'sms', 'codes_failed', 'locks', 'requests', 'dropoffs'];

const dayFmt = () =>
  new Intl.DateTimeFormat(getLang() === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short', timeZone: 'Europe/Amsterdam' });

function Chart({ title, keys, buckets }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const xs = buckets.map((b) => b.start);
    const data = [xs, ...keys.map((k) => buckets.map((b) => b[k]))];
    const opts = {
      width: Math.max(240, el.clientWidth),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Europe/Amsterdam'),
      cursor: { show: false },
      legend: { show: true, live: false },
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
      axes: [
        { values: (u, vals) => vals.map((v) => dayFmt().format(new Date(v * 1000))) },
        { values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      series: [{}, ...keys.map((k) => ({ label: t(`overview.m_${k}`), ...SERIES[k], points: { show: true, size: 5 } }))],
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [buckets, keys, getLang()]);
  return (
    <figure class="st-chart">
      <figcaption class="st-chart__title">{t(title)}</figcaption>
      {/* The same numbers are in the table below. */}
      <div class="st-chart__plot" ref={box} aria-hidden="true" />
    </figure>
  );
}

export function AdminOverview() {
  return <AdminPage titleKey="overview.title">{() => <Overview />}</AdminPage>;
}

function Overview() {
  const [orgs, setOrgs] = useState([]);
  const [f, setF] = useState({ domain: '', period: 'day', count: '30' });
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const load = (x) =>
    admin.get(`/overview?period=${x.period}&count=${x.count}&domain=${encodeURIComponent(x.domain)}`).then(
      (r) => {
        setData(r);
        setError('');
      },
      (err) => setError(errorText(err)),
    );
  useEffect(() => {
    load(f);
    admin.get('/organisations').then((r) => setOrgs(r.organisations.map((o) => o.domain)), () => {});
  }, []);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value, ...(k === 'period' ? { count: e.currentTarget.value === 'week' ? '12' : '30' } : {}) });
  const onSubmit = (event) => {
    event.preventDefault();
    load(f);
  };
  const nf = new Intl.NumberFormat(getLang() === 'en' ? 'en-GB' : 'nl-NL');
  const totals = data ? COLUMNS.reduce((acc, k) => ({ ...acc, [k]: data.buckets.reduce((s, b) => s + b[k], 0) }), {}) : null;
  return (
    <article class="st-page st-page--wide st-page--log">
      <h1 class="nl-heading nl-heading--level-1">{t('overview.title')}</h1>
      <p class="nl-paragraph">{t('overview.intro')}</p>
      <form class="st-form st-filters" onSubmit={onSubmit} noValidate>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="ov-domain">{t('overview.org')}</label>
          </div>
          <div class="utrecht-form-field__input">
            <select id="ov-domain" class="utrecht-select utrecht-select--html-select" value={f.domain} onChange={set('domain')}>
              <option value="">{t('overview.all_orgs')}</option>
              {orgs.map((d) => (
                <option key={d} value={d}>{d}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="ov-period">{t('overview.period')}</label>
          </div>
          <div class="utrecht-form-field__input">
            <select id="ov-period" class="utrecht-select utrecht-select--html-select" value={f.period} onChange={set('period')}>
              <option value="day">{t('overview.per_day')}</option>
              <option value="week">{t('overview.per_week')}</option>
            </select>
          </div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="ov-count">{t(f.period === 'week' ? 'overview.weeks' : 'overview.days')}</label>
          </div>
          <div class="utrecht-form-field__input">
            <select id="ov-count" class="utrecht-select utrecht-select--html-select" value={f.count} onChange={set('count')}>
              {(f.period === 'week' ? ['4', '12', '26', '52'] : ['7', '30', '92']).map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="st-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">{t('overview.show')}</button>
        </div>
      </form>
      <Status error={error} />
      {data && (
        <>
          <DataList
            rows={[
              [t('overview.storage'), t('overview.storage_value', { size: bytes(data.storage.bytes), n: nf.format(data.storage.messages) })],
              [t('overview.m_messages'), nf.format(totals.messages)],
              [t('overview.m_sms'), nf.format(totals.sms)],
            ]}
          />
          <div class="st-charts">
            {CHARTS.map(([title, keys]) => (
              <Chart key={title} title={title} keys={keys} buckets={data.buckets} />
            ))}
          </div>
          <TableWrap label={t('overview.table_caption')}>
            <table class="utrecht-table st-table st-table--numbers" data-testid="overview">
              <caption class="utrecht-table__caption">{t('overview.table_caption')}</caption>
              <thead class="utrecht-table__header">
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="col">{t(data.period === 'week' ? 'overview.week' : 'overview.day')}</th>
                  {COLUMNS.map((k) => (
                    <th key={k} class="utrecht-table__header-cell" scope="col">{t(`overview.m_${k}`)}</th>
                  ))}
                </tr>
              </thead>
              <tbody class="utrecht-table__body">
                {[...data.buckets].reverse().map((b) => (
                  <tr class="utrecht-table__row" key={b.label}>
                    <th class="utrecht-table__header-cell" scope="row">{b.label}</th>
                    {COLUMNS.map((k) => (
                      <td key={k} class="utrecht-table__cell">{k === 'bytes' ? bytes(b[k]) : nf.format(b[k])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <section class="st-section" aria-labelledby="outbox-title">
            <h2 class="nl-heading nl-heading--level-2" id="outbox-title">{t('overview.outbox')}</h2>
            <p class="nl-paragraph">{t('overview.outbox_text')}</p>
            <TableWrap label={t('overview.outbox')}>
              <table class="utrecht-table st-table" data-testid="outbox">
                <caption class="utrecht-table__caption rhc-visually-hidden">{t('overview.outbox')}</caption>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">{t('overview.kind')}</th>
                    <th class="utrecht-table__header-cell" scope="col">{t('overview.state')}</th>
                    <th class="utrecht-table__header-cell" scope="col">{t('overview.count')}</th>
                    <th class="utrecht-table__header-cell" scope="col">{t('overview.oldest')}</th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  {data.outbox.map((q) => (
                    <tr class="utrecht-table__row" key={`${q.kind}-${q.state}`}>
                      <td class="utrecht-table__cell">{t(`overview.kind_${q.kind}`)}</td>
                      <td class="utrecht-table__cell">{t(`overview.state_${q.state}`)}</td>
                      <td class="utrecht-table__cell">{nf.format(q.count)}</td>
                      <td class="utrecht-table__cell">{when(q.oldest)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </article>
  );
}
