import {
  ResponsiveContainer,
  VerticalBarChart,
  VerticalStackedBarChart,
  type VerticalBarChartDataPoint,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useContext, useState, type ReactNode } from 'react';
import { ThemeNameContext } from '../App/theme-name';
import type { TeamsThemeName } from '../auth/teams-host';
import type { DashboardView } from '../api/schemas';

/**
 * What a dashboard counts, a service's or the overview's: the overview has no one service
 * level threshold (null), each service keeps its own.
 */
export type Counted = Pick<DashboardView, 'timeZone' | 'kpis' | 'people' | 'live'> & {
  readonly serviceLevelSec: number | null;
};

const useStyles = makeStyles({
  chart: { width: '100%', minHeight: '240px' },
  // The charts' legends capitalise every word ("Within 20 S"); ours are sentences.
  legend: { textTransform: 'none' },
});

/** The colours of what became of tasks, by theme. */
interface Outcomes {
  readonly accepted: string;
  readonly abandoned: string;
  readonly waiting: string;
}

/*
 * Light and dark take the theme's own palette tokens. A high-contrast theme's palette is
 * all one colour, so there the outcomes take its distinct system colours (highlight, link
 * and disabled text), kept apart by their legends and the table too.
 */
const PALETTE: Outcomes = {
  accepted: tokens.colorPaletteGreenBackground3,
  abandoned: tokens.colorPaletteRedBackground3,
  waiting: tokens.colorPaletteMarigoldBackground3,
};

export const OUTCOMES: Readonly<Record<TeamsThemeName, Outcomes>> = {
  default: PALETTE,
  dark: PALETTE,
  contrast: {
    accepted: tokens.colorCompoundBrandBackground,
    abandoned: tokens.colorNeutralForegroundInvertedLink,
    waiting: tokens.colorNeutralForegroundDisabled,
  },
};

const useOutcomes = () => OUTCOMES[useContext(ThemeNameContext)];

/** What every chart on the dashboard shares: its legends' case, wrapped when narrow. */
function useChartLook() {
  const styles = useStyles();
  return {
    legendProps: { styles: { text: styles.legend } },
    enabledLegendsWrapLines: true,
    yAxisTickCount: 4,
    hideLabels: true,
    barWidth: 'auto',
    maxBarWidth: 32,
  } as const;
}

/** A chart, or the same figures as a table (the chart's accessible alternative). */
export function ChartOrTable(props: {
  /** What the figures are, for the chart's and the table's names. */
  readonly label: string;
  readonly chart: ReactNode;
  readonly table: ReactNode;
}) {
  const styles = useStyles();
  const [shown, setShown] = useState<'chart' | 'table'>('chart');
  return (
    <>
      <TabList
        size="small"
        selectedValue={shown}
        onTabSelect={(_e, d) => setShown(d.value as 'chart' | 'table')}
        aria-label={`${props.label}: show as`}
      >
        <Tab value="chart">Chart</Tab>
        <Tab value="table">Table</Tab>
      </TabList>
      {shown === 'chart' ? (
        <div
          className={styles.chart}
          role="figure"
          aria-label={`${props.label} (chart; the Table tab has the same figures)`}
        >
          {props.chart}
        </div>
      ) : (
        props.table
      )}
    </>
  );
}

/** Hours from the first to the last with tasks, so that quiet hours in between show. */
export function busyHours(perHour: DashboardView['kpis']['perHour']) {
  const first = perHour.findIndex((h) => h.offered > 0);
  if (first < 0) return [];
  const last = perHour.findLastIndex((h) => h.offered > 0);
  return perHour.slice(first, last + 1);
}

export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Tasks per hour of the day by what became of them: accepted, abandoned, not answered yet. */
export function HourChart({ data }: { readonly data: Counted }) {
  const colors = useOutcomes();
  const look = useChartLook();
  const stacks: VerticalStackedChartProps[] = busyHours(data.kpis.perHour).map((h) => ({
    xAxisPoint: hourLabel(h.hour),
    chartData: [
      { legend: 'Accepted', data: h.accepted, color: colors.accepted },
      { legend: 'Abandoned', data: h.abandoned, color: colors.abandoned },
      {
        legend: 'Not answered yet',
        data: h.offered - h.accepted - h.abandoned,
        color: colors.waiting,
      },
    ],
  }));
  return (
    <ResponsiveContainer height={260}>
      <VerticalStackedBarChart
        data={stacks}
        {...look}
        chartTitle="Tasks per hour by outcome"
        isCalloutForStack
      />
    </ResponsiveContainer>
  );
}

const secondsWords = (sec: number) => (sec < 60 || sec % 60 ? `${sec} s` : `${sec / 60} min`);

/** "up to 20 s", "up to 2 min", "over 30 min". */
export function bandLabel(upToSec: number | null, previous: number | null): string {
  return upToSec === null
    ? `over ${secondsWords(previous ?? 0)}`
    : `up to ${secondsWords(upToSec)}`;
}

/** The bands of the accepted tasks' waits, with a name each (and a short one for an axis). */
export const namedBands = (data: Counted) =>
  data.kpis.waitBands.map((band, i, all) => {
    const previous = all[i - 1]?.upToSec ?? null;
    return {
      ...band,
      name: bandLabel(band.upToSec, previous),
      short:
        band.upToSec === null ? `> ${secondsWords(previous ?? 0)}` : secondsWords(band.upToSec),
      within:
        data.serviceLevelSec !== null &&
        band.upToSec !== null &&
        band.upToSec <= data.serviceLevelSec,
    };
  });

/** How long accepted tasks waited: a bar per band, those within the service level apart. */
export function WaitChart({ data }: { readonly data: Counted }) {
  const colors = useOutcomes();
  const look = useChartLook();
  const within =
    data.serviceLevelSec === null
      ? null
      : `Within ${secondsWords(data.serviceLevelSec)} (the service level)`;
  const points: VerticalBarChartDataPoint[] = namedBands(data).map((band) => ({
    x: band.short,
    xAxisCalloutData: band.name,
    y: band.count,
    legend: within === null ? 'Accepted tasks' : band.within ? within : 'Longer',
    color: band.within || within === null ? colors.accepted : colors.waiting,
  }));
  return (
    <ResponsiveContainer height={260}>
      <VerticalBarChart
        data={points}
        {...look}
        chartTitle="Accepted tasks by how long they waited"
        xAxisTitle="Waited up to"
        wrapXAxisLables
      />
    </ResponsiveContainer>
  );
}
