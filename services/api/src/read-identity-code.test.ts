import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readIdentityCode } from './read-identity-code.js';

const sink = () => {
  const out = new PassThrough();
  let written = '';
  out.on('data', (c: Buffer) => {
    written += c.toString();
  });
  return { out, written: () => written };
};

describe('readIdentityCode', () => {
  it('takes the first line of piped input', async () => {
    const input = new PassThrough();
    const result = readIdentityCode(input, sink().out);
    input.end(' 010190-123a \nrest\n');
    expect(await result).toBe('010190-123a');
  });

  it('takes input without a final newline, and refuses empty input', async () => {
    const one = new PassThrough();
    const a = readIdentityCode(one, sink().out);
    one.end('010190-123A');
    expect(await a).toBe('010190-123A');
    const none = new PassThrough();
    const b = readIdentityCode(none, sink().out);
    none.end('\n');
    await expect(b).rejects.toThrow('no identity code on standard input');
  });

  it('on a terminal, prompts in raw mode, echoes nothing, and handles backspace', async () => {
    const modes: boolean[] = [];
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (mode: boolean) => modes.push(mode),
    });
    const prompt = sink();
    const result = readIdentityCode(input, prompt.out);
    input.write('010190-123X');
    input.write('\u007fA\r');
    expect(await result).toBe('010190-123A');
    expect(modes).toEqual([true, false]);
    expect(prompt.written()).toBe('personal identity code (not shown): \n');
  });

  it('on a terminal, Ctrl-C interrupts', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const result = readIdentityCode(input, sink().out);
    input.write('0101\u0003');
    await expect(result).rejects.toThrow('interrupted');
  });
});
