/**
 * A one-line live display for terminals (plain lines when not a TTY): `render` draws the
 * line every `everyMs`, `refresh` (optional) starts collecting the next figures; `print`
 * writes a line above it.
 */
export function progressLine(render: () => string, everyMs = 1000, refresh?: () => void) {
  const tty = process.stdout.isTTY;
  const draw = () => {
    const line = render();
    if (tty) process.stdout.write(`\r\x1b[2K${line}`);
    else if (line) process.stdout.write(`${line}\n`);
  };
  const timer = setInterval(() => {
    refresh?.();
    draw();
  }, everyMs);
  return {
    print(line: string) {
      process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${line}\n`);
      if (tty) draw();
    },
    stop() {
      clearInterval(timer);
      const line = render();
      process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${line}${line ? '\n' : ''}`);
    },
  };
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
