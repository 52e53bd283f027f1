import type { Readable, Writable } from 'node:stream';

/** A terminal, as far as the hidden prompt needs it. */
interface Terminal extends Readable {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Longer input is not an identity code (11 characters) and is not read further. */
const MAX_LENGTH = 64;

/**
 * Reads a personal identity code without it ever being a command-line argument (those show
 * in `ps` and the shell's history): on a terminal from a prompt that echoes nothing, else
 * the first line of standard input (`echo … | lukema-rights …`, or a file redirected in).
 * The prompt goes to `prompt` (stderr), so standard output stays the command's own.
 * @throws Error when input ends without a code, or the prompt is interrupted (Ctrl-C).
 */
export function readIdentityCode(input: Terminal, prompt: Writable): Promise<string> {
  return input.isTTY && input.setRawMode ? readHidden(input, prompt) : readFirstLine(input);
}

function readFirstLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', done);
      input.pause();
      const code = text.split(/\r?\n/)[0]?.trim() ?? '';
      if (error) reject(error);
      else if (code === '') reject(new Error('no identity code on standard input'));
      else resolve(code);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > MAX_LENGTH) done();
    };
    const onEnd = () => done();
    input.setEncoding('utf8');
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', done);
    input.resume();
  });
}

function readHidden(input: Terminal, prompt: Writable): Promise<string> {
  prompt.write('personal identity code (not shown): ');
  input.setRawMode?.(true);
  return new Promise((resolve, reject) => {
    let code = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      prompt.write('\n');
      if (error) reject(error);
      else if (code.trim() === '') reject(new Error('no identity code given'));
      else resolve(code.trim());
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new Error('interrupted'));
        if (char === '\u007f' || char === '\b') code = code.slice(0, -1);
        else if (char >= ' ' && code.length < MAX_LENGTH) code += char;
      }
    };
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}
