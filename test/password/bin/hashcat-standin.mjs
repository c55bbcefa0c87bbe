// Stand-in for hashcat 6.2.6, for the parts Reclaim uses: `--version`, `-I` (a device list as hashcat
// prints it), and attacks (-a 0 wordlist, -a 3 .hcmask) that print `--status-json` lines, write the
// cracked plain to --outfile and exit 0 (cracked) or 1 (exhausted). It "cracks" by comparing candidates
// with RECLAIM_STANDIN_HASHCAT_PASSWORD (rules files are not applied). RECLAIM_STANDIN_HASHCAT picks:
//   gpu (default): a CUDA GPU and the pocl CPU; cpu: the pocl CPU only; no-device: no runtime found;
//   fail: attacks die like a failed kernel build; hang: an attack runs until SIGINT (exit 2).
// RECLAIM_STANDIN_LOG: each call appends {tool, argv, cwd, files} (files: mode of each path argument).
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const args = process.argv.slice(2);
const scenario = process.env.RECLAIM_STANDIN_HASHCAT ?? 'gpu';
const out = (text) => process.stdout.write(text);

const files = {};
for (const arg of args)
  if (arg.startsWith('/') && existsSync(arg))
    files[arg] = {
      mode: statSync(arg).mode & 0o777,
      dirMode: statSync(dirname(arg)).mode & 0o777,
    };
if (process.env.RECLAIM_STANDIN_LOG)
  appendFileSync(
    process.env.RECLAIM_STANDIN_LOG,
    `${JSON.stringify({ tool: 'hashcat', argv: args, cwd: process.cwd(), files })}\n`,
  );

const CPU = `OpenCL Info:
============

OpenCL Platform ID #1
  Vendor..: The pocl project
  Name....: Portable Computing Language
  Version.: OpenCL 3.0 PoCL 3.1+debian  Linux, None+Asserts, RELOC, SPIR, LLVM 15.0.6, SLEEF, DISTRO, POCL_DEBUG

  Backend Device ID #2
    Type...........: CPU
    Vendor.ID......: 1
    Vendor.........: AuthenticAMD
    Name...........: pthread-skylake-avx512-AMD EPYC
    Version........: OpenCL 3.0 PoCL HSTR: pthread-x86_64-pc-linux-gnu-skylake-avx512
    Processor(s)...: 2
    Clock..........: 2096
    Memory.Total...: 22057 MB (limited to 4096 MB allocatable in one block)
    Memory.Free....: 10996 MB
    OpenCL.Version.: OpenCL C 1.2 PoCL
    Driver.Version.: 3.1+debian

`;
const GPU = `CUDA Info:
==========

CUDA.Version.: 12.2

Backend Device ID #1
  Name...........: NVIDIA GeForce RTX 4090
  Processor(s)...: 128
  Clock..........: 2520
  Memory.Total...: 24210 MB
  Memory.Free....: 23867 MB
  PCI.Addr.BDFe..: 0000:01:00.0

`;
const NONE = `ATTENTION! No OpenCL, Metal, HIP or CUDA installation found.

You are probably missing the CUDA, HIP or OpenCL runtime installation.
`;

const option = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};

function maskRegex(line) {
  const fields = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') field += line[++i];
    else if (line[i] === ',') {
      fields.push(field);
      field = '';
    } else field += line[i];
  }
  fields.push(field);
  const mask = fields.pop();
  const sets = {
    l: 'a-z',
    u: 'A-Z',
    d: '0-9',
    s: ' -/:-@\\[-`{-~',
    a: ' -~',
    h: '0-9a-f',
    H: '0-9A-F',
  };
  const escape = (c) => c.replace(/[\\\]^-]/g, '\\$&');
  const set = (key) =>
    sets[key] ??
    [...fields[Number(key) - 1]]
      .map((c) => escape(c))
      .join('')
      .replace(/\\\?(\w)/g, (_, k) => sets[k]);
  let source = '';
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === '?' && mask[i + 1] === '?') ((source += '\\?'), i++);
    else if (mask[i] === '?') source += `[${set(mask[++i])}]`;
    else source += mask[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function status(code, done, total, recovered) {
  out(
    `${JSON.stringify({
      session: 'hashcat',
      status: code,
      target: 'standin',
      progress: [done, total],
      recovered_hashes: [recovered, 1],
      devices: [
        {
          device_id: 1,
          device_name: 'NVIDIA GeForce RTX 4090',
          device_type: 'GPU',
          speed: 861,
          util: 100,
        },
      ],
    })}\n`,
  );
}

if (args.includes('--version')) {
  out('v6.2.6\n');
  process.exit(0);
}
if (args.includes('-I')) {
  if (scenario === 'no-device') {
    out(NONE);
    process.exit(255);
  }
  out(scenario === 'cpu' ? CPU : GPU + CPU);
  process.exit(0);
}
if (scenario === 'fail') {
  process.stderr.write('clBuildProgram(): CL_BUILD_PROGRAM_FAILURE\n\nNo devices found/left.\n');
  process.exit(255);
}
const input = args.at(-1);
const outfile = option('--outfile');
if (scenario === 'hang') {
  status(3, 0, 1000, 0);
  process.on('SIGINT', () => {
    status(7, 10, 1000, 0);
    process.exit(2);
  });
  setInterval(() => status(3, 10, 1000, 0), 200);
} else {
  const password = process.env.RECLAIM_STANDIN_HASHCAT_PASSWORD;
  const text = readFileSync(input, 'utf8');
  let total;
  let hit;
  if (option('-a') === '3') {
    const regex = maskRegex(text.split('\n')[0]);
    total = 1000;
    hit = password !== undefined && regex.test(password);
  } else {
    const words = text
      .split('\n')
      .filter(Boolean)
      .map((w) => {
        const hex = /^\$HEX\[([0-9a-f]*)\]$/.exec(w);
        return hex ? Buffer.from(hex[1], 'hex').toString('utf8') : w;
      });
    total = words.length;
    hit = words.includes(password);
  }
  status(3, Math.floor(total / 2), total, 0);
  if (hit) {
    writeFileSync(outfile, `${password}\n`);
    status(6, total, total, 1);
    process.exit(0);
  }
  status(5, total, total, 0);
  process.exit(1);
}
