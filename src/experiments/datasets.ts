// The dataset registry: every named dataset `eds` knows, loaded lazily. Adding one is one entry in DATASETS.
// It names every field's generator (hydrology, seismology, lidar), so it sits above them, with the tasks that load datasets.
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import type { Dataset, DatasetEntry, DatasetOrigin, DatasetTask, LoadOptions } from '../data/types.js';

/** The four classic tables ship as scikit-learn distributes them. */
const SKLEARN_BSD = 'BSD-3-Clause (as distributed with scikit-learn)';
const sklearnOrigin = (source: string): DatasetOrigin => ({ kind: 'real', licence: SKLEARN_BSD, source });

/** Reads `datasets/<name>/<name>.csv` shipped with the package. */
async function bundledCsv(name: string, target: string, task: DatasetTask): Promise<Dataset> {
  const { readCsvFile } = await import('../data/csv.js');
  const { table } = await readCsvFile(join(PACKAGE_ROOT, 'datasets', name, `${name}.csv`), { source: `${name}.csv` });
  return { ...table, name, target, task };
}

/** Every dataset, in the order `eds datasets list` shows them. Register a new one by adding an entry here. */
export const DATASETS: readonly DatasetEntry[] = [
  {
    name: 'iris',
    description: 'Fisher’s irises: 150 flowers, 4 measurements (cm), 3 species',
    task: 'classification',
    origin: sklearnOrigin('R. A. Fisher (1936), Annals of Eugenics 7(2); UCI Machine Learning Repository'),
    load: () => bundledCsv('iris', 'species', 'classification'),
  },
  {
    name: 'wine',
    description: 'Italian wines: 178 samples, 13 chemical measurements, 3 cultivars',
    task: 'classification',
    origin: sklearnOrigin('Forina et al., UCI Machine Learning Repository'),
    load: () => bundledCsv('wine', 'cultivar', 'classification'),
  },
  {
    name: 'breast-cancer',
    description: 'Wisconsin breast cancer: 569 cell-nucleus images, 30 features, malignant or benign',
    task: 'classification',
    origin: sklearnOrigin('Wolberg, Street & Mangasarian (1995), UCI Machine Learning Repository'),
    load: () => bundledCsv('breast-cancer', 'diagnosis', 'classification'),
  },
  {
    name: 'diabetes',
    description: 'Diabetes progression: 442 patients, 10 baseline variables, disease progression after one year',
    task: 'regression',
    origin: sklearnOrigin('Efron, Hastie, Johnstone & Tibshirani (2004), Annals of Statistics 32(2)'),
    load: () => bundledCsv('diabetes', 'progression', 'regression'),
  },
  {
    name: 'river-obsera',
    description: 'ObsEra lab samples, La Digue station, Capesterre river (Guadeloupe), 2006–2019: 1,318 rows, suspended load, level, pH, major ions',
    task: 'regression',
    origin: {
      kind: 'real',
      licence: 'MIT (Earth Data Science course materials, © 2025 Léonard Seydoux)',
      source: 'ObsEra observatory, WebObs RIVERS export of 2019-09-26 (station La Digue, code GRCCEDIG), via the Earth Data Science course materials',
      citation:
        'Roque-Bernard, Lucas, Gayer, Allemand, Dessert & Lajeunesse (2023), Phenomenological model of suspended sediment transport in a small catchment, Earth Surface Dynamics 11, 363, doi:10.5194/esurf-11-363-2023',
    },
    load: async () => (await import('./river-obsera.js')).obseraDataset(),
  },
  {
    name: 'volcano',
    description: 'Seismo-volcanic events (generated per seed): 300 events, 14 waveform features at station FLK, 6 imbalanced classes',
    task: 'classification',
    origin: { kind: 'generated', model: 'seismo-volcanic events drawn from a physical model (eds datasets card volcano)' },
    load: async ({ seed }) => ({
      ...(await import('../seismology/volcano-data.js')).volcanoTable({ seed }),
      name: 'volcano',
      target: 'label',
      task: 'classification',
    }),
  },
  {
    name: 'river',
    description:
      'River sensor calibration (generated per seed): lab SSC (mg/L) of a few hundred samples with the level, turbidity and temperature probes at their times',
    task: 'regression',
    origin: { kind: 'generated', model: 'a river’s sediment and sensors drawn from a physical model (eds datasets card river)' },
    load: async ({ seed }) => ({
      ...(await import('../hydrology/calibration.js')).riverSampleTable(seed),
      name: 'river',
      target: 'ssc_mg_l',
      task: 'regression',
      features: ['turbidity_ntu', 'level_m', 'temperature_c'],
      timeColumns: ['timestamp'],
    }),
  },
  {
    name: 'phases-ncedc',
    description:
      'Real seismograms: 22 NCEDC three-component windows (90 s at 100 Hz) with analyst P and S picks, from the PhaseNet repository; exported as one row per window',
    task: 'clustering',
    origin: {
      kind: 'real',
      licence: 'MIT, Copyright (c) 2021 Weiqiang Zhu',
      source: 'PhaseNet repository sample data (https://github.com/AI4EPS/PhaseNet), NCEDC waveforms',
      citation: 'Zhu & Beroza (2019), PhaseNet, Geophysical Journal International 216(1), 261-273, doi:10.1093/gji/ggy423',
    },
    load: async () => (await import('./phases-ncedc.js')).ncedcTable(),
  },
  ...(['dunes', 'ski', '4class'] as const).map((scene) => ({
    name: `lidar-${scene}`,
    description: `Lidar ${scene === 'dunes' ? 'beach dune (floor, vegetation)' : scene === 'ski' ? 'ski slope (snow, tree)' : 'park (path, grass, tree, wall)'} (generated per seed): 2,000 core points of a 200,000-point scan, eigenvalue features at 0.05–0.5 m, label`,
    task: 'classification' as const,
    origin: { kind: 'generated', model: 'lidar scenes drawn from a geometric model (eds datasets card lidar)' } as const,
    load: async ({ seed }: LoadOptions) => {
      const lidar = await import('../lidar/table.js');
      return lidar.lidarDataset(lidar.defaultSceneSpec(scene), seed);
    },
  })),
];

/** The registered datasets. */
export function listDatasets(): readonly DatasetEntry[] {
  return DATASETS;
}

/** Loads a dataset by name, or fails in one line listing the names there are. */
export async function loadDataset(name: string, options: LoadOptions = { seed: 0 }): Promise<Dataset> {
  const entry = DATASETS.find((d) => d.name === name);
  if (!entry) {
    throw new UserError(`unknown dataset "${name}"; known datasets: ${DATASETS.map((d) => d.name).join(', ')}`, { hint: 'eds datasets list' });
  }
  return entry.load(options);
}
