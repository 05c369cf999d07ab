/**
 * @module demo/banner
 * The text printed when the centre starts in demo mode: where to open it, the demo users and
 * their passwords, and a plain note — in English and Vietnamese — that everything is demo data.
 */
import { demoCredentialsFileName } from './credentials-file.js';
import type { DemoSeed } from './seed.js';

export function formatDemoBanner(seed: DemoSeed, baseUrl: string): string {
  const width = Math.max(8, ...seed.users.map((u) => u.username.length));
  const rule = '─'.repeat(78);
  const lines = [
    rule,
    ' Vigil — DEMO MODE · CHẾ ĐỘ TRÌNH DIỄN',
    rule,
    ` Open / Mở: ${baseUrl}`,
    '',
    ' Users / Tài khoản:',
    ...seed.users.map((u) => `   ${u.username.padEnd(width)}  ${u.password}  ${u.role.padEnd(8)} ${u.orgNameEn} (${u.orgCode})`),
    '',
    ` Sensors / Cảm biến: ${seed.sensors.length} (${seed.sensors.filter((s) => s.transport === 'http').length} HTTP, ${seed.sensors.filter((s) => s.transport === 'syslog').length} syslog); keys and passwords are in ${demoCredentialsFileName} in the data directory.`,
    ` Khoá cảm biến và mật khẩu nằm trong tệp ${demoCredentialsFileName} ở thư mục dữ liệu.`,
    '',
    ' Everything here — organisations, users, sensors and events — is DEMO DATA made by a simulator.',
    ' Do not use this instance for real monitoring. Start with a configuration file to leave demo mode.',
    ' Mọi thứ ở đây — tổ chức, tài khoản, cảm biến và sự kiện — là DỮ LIỆU TRÌNH DIỄN do bộ mô phỏng tạo ra.',
    ' Không dùng phiên bản này để giám sát thật. Khởi động với tệp cấu hình để thoát chế độ trình diễn.',
    rule,
  ];
  return lines.join('\n');
}
