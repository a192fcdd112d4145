// Runs before `npm test`: installs the Debian packages the tests need when they are missing (fresh
// machines and CI), instead of letting those tests skip: chromium for the browser tests,
// redis-server for the scale-out test (test/scale/redis.test.ts starts its own server).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const needed = [
  { binary: '/usr/bin/chromium', pkg: 'chromium' },
  { binary: '/usr/bin/redis-server', pkg: 'redis-server' },
].filter((n) => !existsSync(n.binary))
if (needed.length === 0) process.exit(0)

const pkgs = needed.map((n) => n.pkg)
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const sudo = isRoot ? [] : ['sudo', '-n']
console.log(`Installing Debian packages for the tests: ${pkgs.join(' ')}`)
try {
  const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  run(['apt-get', 'update', '-qq'])
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs])
} catch (e) {
  console.error(`Could not install ${pkgs.join(' ')} (${e.message}). Install it with: sudo apt-get install -y ${pkgs.join(' ')}`)
  process.exit(1)
}
