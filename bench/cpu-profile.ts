import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Runs `work` under the V8 CPU profiler when `file` is set, writing a `.cpuprofile` there (Chrome DevTools format). */
export async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined || file === '') return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
