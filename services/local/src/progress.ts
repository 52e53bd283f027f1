/** A one-line live progress display for terminals (plain lines when not a TTY). */
export function progressLine(render: () => string, everyMs = 1000) {
  const tty = process.stdout.isTTY;
  const timer = setInterval(() => {
    const line = render();
    if (tty) process.stdout.write(`\r\x1b[2K${line}`);
    else process.stdout.write(`${line}\n`);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${render()}\n`);
    },
  };
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
