/**
 * What node_exporter's hwmon collector (on by default) exports of an ACPI power meter
 * (`/sys/class/hwmon/hwmonN/` with `name` = `power_meter` and `power1_average` in µW, read through
 * `--path.sysfs=/host/sys`): checked against the real node_exporter 1.11 reading a simulated meter
 * in test/real/platform-power.test.ts.
 */
import { JOB } from '../../core/labels';

const HWMON_ONLY_WHEN = 'the host has a hardware monitor chip (the ACPI power meter: a server whose BMC reports power through ACPI)';

/**
 * The hwmon series the platform power rules read, as `CatalogMetric`s: typed where
 * src/core/metric-catalog.ts takes them in (importing its type here would make an import loop).
 */
export const PLATFORM_POWER_METRICS = [
  { name: 'node_hwmon_power_average_watt', type: 'gauge', jobs: [JOB.node], help: 'Average power of a hwmon sensor (power1_average, µW, shown in W): the whole machine for the ACPI power meter.', labels: ['chip', 'sensor'], onlyWhen: HWMON_ONLY_WHEN },
  { name: 'node_hwmon_power_average_interval_seconds', type: 'gauge', jobs: [JOB.node], help: 'Interval the sensor averages its power over.', labels: ['chip', 'sensor'], onlyWhen: HWMON_ONLY_WHEN },
  { name: 'node_hwmon_chip_names', type: 'gauge', jobs: [JOB.node], help: 'Name of each hwmon chip (`power_meter` for the ACPI power meter), value 1; an info series without the `_info` suffix.', labels: ['chip', 'chip_name'], onlyWhen: HWMON_ONLY_WHEN },
] as const;
