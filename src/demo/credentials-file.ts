/**
 * @module demo/credentials-file
 * `<dataDir>/demo-credentials.json`: the demo users' passwords and the demo sensors' keys. The store
 * keeps only hashes, so this file (mode 0600, written atomically) is how the simulator and the
 * operator get them back on later starts. It holds demo secrets only.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const demoCredentialsFileName = 'demo-credentials.json';

const fileSchema = z.object({
  version: z.literal(1),
  users: z.array(z.object({ username: z.string(), password: z.string(), role: z.string(), orgCode: z.string() })),
  sensors: z.array(z.object({ name: z.string(), orgCode: z.string(), sensorId: z.string(), key: z.string() })),
});

export type DemoCredentialsFile = z.infer<typeof fileSchema>;

export function demoCredentialsPath(dataDir: string): string {
  return join(dataDir, demoCredentialsFileName);
}

/** The file's contents, or null when it is missing or not a demo credentials file. */
export function readDemoCredentials(dataDir: string): DemoCredentialsFile | null {
  let text: string;
  try {
    text = readFileSync(demoCredentialsPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeDemoCredentials(dataDir: string, contents: DemoCredentialsFile): void {
  mkdirSync(dataDir, { recursive: true });
  const path = demoCredentialsPath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  const note = {
    note: 'Vigil demo credentials — demo data only. / Thông tin đăng nhập demo của Vigil — chỉ là dữ liệu trình diễn.',
    ...contents,
  };
  writeFileSync(temp, `${JSON.stringify(note, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600); // the mode of writeFileSync is filtered by the umask
  renameSync(temp, path);
}
