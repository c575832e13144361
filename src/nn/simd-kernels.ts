// WebAssembly SIMD kernels of the data-parallel trainer, assembled here from their opcodes (no toolchain needed):
// the Adam step, and a dense layer on sparse input rows (forward and weight gradient). They work in place in one
// shared WebAssembly.Memory that holds the weights, Adam's moments, the gradients and the sparse inputs, so the
// workers of data-parallel.ts run them on the same bytes. JavaScript does the same with one scalar at a time, and
// tfjs's wasm kernels live in another memory. No tfjs here: both sides import it.

// The project's lib (ES2023, no DOM) declares no WebAssembly: the little used here, typed by hand.
/** A WebAssembly.Memory; shared ones have a SharedArrayBuffer. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A shared memory of `bytes` (rounded up to whole pages), or undefined where the runtime has none. */
export function sharedMemory(bytes: number): WasmMemory | undefined {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
}

/** Bytes of one WebAssembly page. */
export const PAGE = 65536;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** The opcodes the kernels use; memory operands take alignment hint 0 (any address) and offset 0 unless given. */
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  mul: [0x6c],
  shl: [0x74],
  geU: [0x4f],
  load: (offset = 0) => [0x28, 0, ...uleb(offset)],
  f32load: [0x2a, 0, 0],
  v128load: [...simd(0x00), 0, 0],
  v128store: [...simd(0x0b), 0, 0],
  v128loadAt: (offset: number) => [...simd(0x00), 0, ...uleb(offset)],
  v128storeAt: (offset: number) => [...simd(0x0b), 0, ...uleb(offset)],
  v128zero: [...simd(0x0c), ...new Array(16).fill(0)],
  v128ones: [...simd(0x0c), ...new Array(16).fill(0xff)],
  /** Four float32 −∞. */
  v128minusInf: [...simd(0x0c), ...[0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff]],
  isplat: simd(0x11),
  ieq: simd(0x37),
  ine: simd(0x38),
  fgt: simd(0x44),
  and: simd(0x4e),
  or: simd(0x50),
  bitselect: simd(0x52),
  select: [0x1b],
  splat: simd(0x13),
  fsqrt: simd(0xe3),
  fadd: simd(0xe4),
  fsub: simd(0xe5),
  fmul: simd(0xe6),
  fdiv: simd(0xe7),
  fpmax: simd(0xeb),
  memcopy: [0xfc, ...uleb(10), 0, 0],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  if: [0x04, 0x40],
  end: [0x0b],
};

/** `for (i = from; i < limit; i += step) body` over local i32s: block, loop, test, body, step. */
function loop(i: number, limit: number, step: number, body: number[][]): number[] {
  return [
    [0x02, 0x40, 0x03, 0x40],
    op.get(i),
    op.get(limit),
    op.geU,
    op.brIf(1),
    ...body,
    op.get(i),
    op.i32(step),
    op.add,
    op.set(i),
    op.br(0),
    op.end,
    op.end,
  ].flat();
}

/** address = base + index·4 on the stack. */
const at4 = (base: number, index: number): number[][] => [op.get(base), op.get(index), op.i32(2), op.shl, op.add];
/** address = a + b on the stack. */
const sum = (a: number, b: number): number[][] => [op.get(a), op.get(b), op.add];

interface Fn {
  name: string;
  params: number[];
  locals: number[];
  body: number[][];
}

/**
 * adam(w, m, v, g, bytes, workers, stride, rate, beta1, a1, beta2, a2, inv2, eps): for every float32 of
 * w[0, bytes): g = Σ over workers of g[k·stride] (rank order), then m = m·β1 + g·a1, v = v·β2 + g·g·a2,
 * w −= rate·m / (√(v·inv2) + eps): adamSlice's step, 4 floats at a time. bytes is a multiple of 16.
 */
const adam: Fn = (() => {
  const [w, m, v, g, bytes, workers, stride] = [0, 1, 2, 3, 4, 5, 6];
  const scalars = [7, 8, 9, 10, 11, 12, 13];
  const [i, k, p, gv, mv, vv] = [14, 15, 16, 17, 18, 19];
  const [rate, b1, a1, b2, a2, inv2, eps] = [20, 21, 22, 23, 24, 25, 26];
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
    locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      ...scalars.flatMap((s, j) => [op.get(s), op.splat, op.set(rate + j)]),
      loop(i, bytes, 16, [
        ...sum(g, i),
        op.tee(p),
        op.v128load,
        op.set(gv),
        op.i32(1),
        op.set(k),
        loop(k, workers, 1, [op.get(p), op.get(stride), op.add, op.tee(p), op.v128load, op.get(gv), op.fadd, op.set(gv)]),
        // m = m·β1 + g·a1
        ...sum(m, i),
        ...sum(m, i),
        op.v128load,
        op.get(b1),
        op.fmul,
        op.get(gv),
        op.get(a1),
        op.fmul,
        op.fadd,
        op.tee(mv),
        op.v128store,
        // v = v·β2 + g·g·a2
        ...sum(v, i),
        ...sum(v, i),
        op.v128load,
        op.get(b2),
        op.fmul,
        op.get(gv),
        op.get(gv),
        op.fmul,
        op.get(a2),
        op.fmul,
        op.fadd,
        op.tee(vv),
        op.v128store,
        // w = w − rate·m / (√(v·inv2) + eps)
        ...sum(w, i),
        ...sum(w, i),
        op.v128load,
        op.get(rate),
        op.get(mv),
        op.fmul,
        op.get(vv),
        op.get(inv2),
        op.fmul,
        op.fsqrt,
        op.get(eps),
        op.fadd,
        op.fdiv,
        op.fsub,
        op.v128store,
      ]),
    ],
  };
})();

/**
 * sparseForward(rows, nrows, rowStart, idx, val, W, bias, out, unitBytes, relu): for r < nrows, with row =
 * rows[r] (int32), out[r] = bias + Σ_j val[j]·W[idx[j]] over j in [rowStart[row], rowStart[row + 1]), then
 * max(0, ·) where relu ≠ 0 (NaN → 0, as the workers' ReLU). idx holds byte offsets of rows of W [in, units]; out is
 * [nrows, units] row-major; unitBytes = 4·units, a multiple of 16.
 */
const sparseForward: Fn = (() => {
  const [rows, nrows, rowStart, idx, val, W, bias, out, unitBytes, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [r, j, end, o, u, wrow, a, zero] = [10, 11, 12, 13, 14, 15, 16, 17];
  return {
    name: 'sparseForward',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128],
    body: [
      loop(r, nrows, 1, [
        ...at4(rows, r),
        op.load(),
        op.i32(2),
        op.shl,
        op.get(rowStart),
        op.add,
        op.tee(end),
        op.load(),
        op.set(j),
        op.get(end),
        op.load(4),
        op.set(end),
        op.get(out),
        op.get(r),
        op.get(unitBytes),
        op.mul,
        op.add,
        op.tee(o),
        op.get(bias),
        op.get(unitBytes),
        op.memcopy,
        loop(j, end, 1, [
          ...at4(val, j),
          op.f32load,
          op.splat,
          op.set(a),
          ...at4(idx, j),
          op.load(),
          op.get(W),
          op.add,
          op.set(wrow),
          op.i32(0),
          op.set(u),
          loop(u, unitBytes, 16, [...sum(o, u), ...sum(o, u), op.v128load, ...sum(wrow, u), op.v128load, op.get(a), op.fmul, op.fadd, op.v128store]),
        ]),
        op.get(relu),
        op.if,
        op.i32(0),
        op.set(u),
        loop(u, unitBytes, 16, [...sum(o, u), op.get(zero), ...sum(o, u), op.v128load, op.fpmax, op.v128store]),
        op.end,
      ]),
    ],
  };
})();

/**
 * sparseGrad(rows, nrows, rowStart, idx, val, dz, dW, unitBytes): dW[idx[j]] += val[j]·dz[r] for every r < nrows
 * and j of row rows[r], r in order: the weight gradient xᵀ·dz of sparseForward's layer, into a dW the caller zeroed.
 */
const sparseGrad: Fn = (() => {
  const [rows, nrows, rowStart, idx, val, dz, dW, unitBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [r, j, end, d, u, wrow, a] = [8, 9, 10, 11, 12, 13, 14];
  return {
    name: 'sparseGrad',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128],
    body: [
      loop(r, nrows, 1, [
        ...at4(rows, r),
        op.load(),
        op.i32(2),
        op.shl,
        op.get(rowStart),
        op.add,
        op.tee(end),
        op.load(),
        op.set(j),
        op.get(end),
        op.load(4),
        op.set(end),
        op.get(dz),
        op.get(r),
        op.get(unitBytes),
        op.mul,
        op.add,
        op.set(d),
        loop(j, end, 1, [
          ...at4(val, j),
          op.f32load,
          op.splat,
          op.set(a),
          ...at4(idx, j),
          op.load(),
          op.get(dW),
          op.add,
          op.set(wrow),
          op.i32(0),
          op.set(u),
          loop(u, unitBytes, 16, [...sum(wrow, u), ...sum(wrow, u), op.v128load, ...sum(d, u), op.v128load, op.get(a), op.fmul, op.fadd, op.v128store]),
        ]),
      ]),
    ],
  };
})();

/**
 * convFilterGrad<G>(x, dy, dW, n, H, W, C, OH, OW, KH, span, coBytes): the filter gradient of a stride-1, valid
 * convolution, dW[ky, kx, c, o] = Σ_{b, y, x} x[b, y + ky, x + kx, c] · dy[b, y, x, o], summed over (b, y, x) in
 * order. x [n, H, W, C] and dy [n, OH, OW, co] are channels last; span = KW·C; coBytes = 4·co, a multiple of 16·G:
 * each pass keeps G groups of 4 output channels in registers. No test for zeros of x: on a ReLU's output the
 * branch mispredicts so often that it costs 2.5× what it skips.
 */
function convFilterGrad(G: number): Fn {
  const [x, dy, dW, n, H, W, C, OH, OW, KH, span, coBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [ky, t, u, b, y, xx, xp, dp, xstep, a] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const acc = Array.from({ length: G }, (_, g) => 22 + g);
  return {
    name: `convFilterGrad${G}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, ...acc.map(() => V128)],
    body: [
      op.get(C),
      op.i32(2),
      op.shl,
      op.set(xstep),
      loop(ky, KH, 1, [
        op.i32(0),
        op.set(t),
        loop(t, span, 1, [
          op.i32(0),
          op.set(u),
          loop(u, coBytes, 16 * G, [
            ...acc.flatMap((r) => [op.v128zero, op.set(r)]),
            op.i32(0),
            op.set(b),
            loop(b, n, 1, [
              op.i32(0),
              op.set(y),
              loop(y, OH, 1, [
                // xp = x + 4·(((b·H + y + ky)·W)·C + t); dp = dy + ((b·OH + y)·OW)·coBytes + u
                op.get(b),
                op.get(H),
                op.mul,
                op.get(y),
                op.add,
                op.get(ky),
                op.add,
                op.get(W),
                op.mul,
                op.get(C),
                op.mul,
                op.get(t),
                op.add,
                op.i32(2),
                op.shl,
                op.get(x),
                op.add,
                op.set(xp),
                op.get(b),
                op.get(OH),
                op.mul,
                op.get(y),
                op.add,
                op.get(OW),
                op.mul,
                op.get(coBytes),
                op.mul,
                op.get(dy),
                op.add,
                op.get(u),
                op.add,
                op.set(dp),
                op.i32(0),
                op.set(xx),
                loop(xx, OW, 1, [
                  op.get(xp),
                  op.f32load,
                  op.splat,
                  op.set(a),
                  ...acc.flatMap((r, g) => [op.get(r), op.get(dp), op.v128loadAt(16 * g), op.get(a), op.fmul, op.fadd, op.set(r)]),
                  op.get(xp),
                  op.get(xstep),
                  op.add,
                  op.set(xp),
                  op.get(dp),
                  op.get(coBytes),
                  op.add,
                  op.set(dp),
                ]),
              ]),
            ]),
            // dW + (ky·span + t)·coBytes + u
            op.get(ky),
            op.get(span),
            op.mul,
            op.get(t),
            op.add,
            op.get(coBytes),
            op.mul,
            op.get(dW),
            op.add,
            op.get(u),
            op.add,
            op.set(xp),
            ...acc.flatMap((r, g) => [op.get(xp), op.get(r), op.v128storeAt(16 * g)]),
          ]),
        ]),
      ]),
    ],
  };
}

/**
 * poolBackward(x, dy, dx, bias, n, H, W, cBytes, OH, OW, size, relu): the gradient of size × size max pooling
 * (non-overlapping, valid) of x [n, H, W, C], 4 channels at a time: each window's dy goes to its first maximum in
 * row-major order (strictly greater replaces; none if no value beats −∞), only where that maximum is > 0 when
 * relu ≠ 0 (the ReLU below: its derivative), and is added to bias[c] (that ReLU layer's bias gradient). dx gets
 * every window position written; the caller zeroes what lies past the last whole window. cBytes = 4·C, a multiple
 * of 16. The rule of train-worker.ts's poolReluBackward.
 */
const poolBackward: Fn = (() => {
  const [x, dy, dx, bias, n, H, W, cBytes, OH, OW, size, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [b, oy, ox, cg, fy, fx, k, corner, p, dyp, rowBytes] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const [best, idx, v, gt, g, reluOff] = [23, 24, 25, 26, 27, 28];
  // p = corner + fy·rowBytes + fx·cBytes + cg
  const position = [op.get(corner), op.get(fy), op.get(rowBytes), op.mul, op.add, op.get(fx), op.get(cBytes), op.mul, op.add, op.get(cg), op.add, op.set(p)];
  const windowLoop = (body: number[][]): number[] => [
    ...[op.i32(0), op.set(k), op.i32(0), op.set(fy)].flat(),
    ...loop(fy, size, 1, [op.i32(0), op.set(fx), loop(fx, size, 1, [...position, ...body, op.get(k), op.i32(1), op.add, op.set(k)])]),
  ];
  return {
    name: 'poolBackward',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128],
    body: [
      op.get(W),
      op.get(cBytes),
      op.mul,
      op.set(rowBytes),
      // All ones when there is no ReLU to apply, so the mask `best > 0 | reluOff` passes everything.
      op.v128zero,
      op.v128ones,
      op.get(relu),
      op.select,
      op.set(reluOff),
      op.get(dy),
      op.set(dyp),
      loop(b, n, 1, [
        op.i32(0),
        op.set(oy),
        loop(oy, OH, 1, [
          op.i32(0),
          op.set(ox),
          loop(ox, OW, 1, [
            // corner = ((b·H + oy·size)·W + ox·size)·cBytes
            op.get(b),
            op.get(H),
            op.mul,
            op.get(oy),
            op.get(size),
            op.mul,
            op.add,
            op.get(W),
            op.mul,
            op.get(ox),
            op.get(size),
            op.mul,
            op.add,
            op.get(cBytes),
            op.mul,
            op.set(corner),
            op.i32(0),
            op.set(cg),
            loop(cg, cBytes, 16, [
              op.v128minusInf,
              op.set(best),
              op.v128ones,
              op.set(idx),
              windowLoop([
                op.get(x),
                op.get(p),
                op.add,
                op.v128load,
                op.tee(v),
                op.get(best),
                op.fgt,
                op.set(gt),
                op.get(v),
                op.get(best),
                op.get(gt),
                op.bitselect,
                op.set(best),
                op.get(k),
                op.isplat,
                op.get(idx),
                op.get(gt),
                op.bitselect,
                op.set(idx),
              ]),
              // g = dy & (a maximum was found) & (best > 0 or no ReLU)
              op.get(dyp),
              op.get(cg),
              op.add,
              op.v128load,
              op.get(idx),
              op.v128ones,
              op.ine,
              op.and,
              op.get(best),
              op.v128zero,
              op.fgt,
              op.get(reluOff),
              op.or,
              op.and,
              op.set(g),
              ...sum(bias, cg),
              ...sum(bias, cg),
              op.v128load,
              op.get(g),
              op.fadd,
              op.v128store,
              windowLoop([op.get(dx), op.get(p), op.add, op.get(g), op.get(idx), op.get(k), op.isplat, op.ieq, op.and, op.v128store]),
            ]),
            op.get(dyp),
            op.get(cBytes),
            op.add,
            op.set(dyp),
          ]),
        ]),
      ]),
    ],
  };
})();

/** Groups of 4 output channels a filter-gradient pass holds in registers: convFilterGrad1, 2 and 4. */
export const CONV_GROUPS = [4, 2, 1] as const;

const FUNCTIONS = [adam, sparseForward, sparseGrad, poolBackward, ...CONV_GROUPS.map(convFilterGrad)];

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** The module's bytes: imports env.memory (shared, up to 4 GiB), exports the kernels. */
export function kernelModuleBytes(): Uint8Array {
  const types = FUNCTIONS.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x03, 0, ...uleb(65536)]];
  const functions = FUNCTIONS.map((_, i) => uleb(i));
  const exports = FUNCTIONS.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = FUNCTIONS.map((f) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), ...op.end];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

/** The kernels bound to one memory; byte addresses into it throughout. */
export interface SimdKernels {
  adam(
    w: number,
    m: number,
    v: number,
    g: number,
    bytes: number,
    workers: number,
    stride: number,
    rate: number,
    beta1: number,
    a1: number,
    beta2: number,
    a2: number,
    inv2: number,
    eps: number,
  ): void;
  sparseForward(
    rows: number,
    nrows: number,
    rowStart: number,
    idx: number,
    val: number,
    W: number,
    bias: number,
    out: number,
    unitBytes: number,
    relu: number,
  ): void;
  sparseGrad(rows: number, nrows: number, rowStart: number, idx: number, val: number, dz: number, dW: number, unitBytes: number): void;
  poolBackward(
    x: number,
    dy: number,
    dx: number,
    bias: number,
    n: number,
    H: number,
    W: number,
    cBytes: number,
    OH: number,
    OW: number,
    size: number,
    relu: number,
  ): void;
  convFilterGrad1: ConvFilterGrad;
  convFilterGrad2: ConvFilterGrad;
  convFilterGrad4: ConvFilterGrad;
}

type ConvFilterGrad = (
  x: number,
  dy: number,
  dW: number,
  n: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
  KH: number,
  span: number,
  coBytes: number,
) => void;

/** The filter gradient of a stride-1 valid convolution with `co` outputs (a multiple of 4), widest pass that fits. */
export function convFilterGradFor(k: SimdKernels, co: number): ConvFilterGrad {
  const G = CONV_GROUPS.find((g) => co % (4 * g) === 0);
  if (G === undefined) throw new Error(`convFilterGrad needs a multiple of 4 output channels, not ${co}`);
  return k[`convFilterGrad${G}`];
}

let valid: boolean | undefined;

/** Whether this runtime runs the kernels (WebAssembly SIMD, shared memory, bulk memory). */
export function simdKernelsAvailable(): boolean {
  if (valid === undefined) {
    try {
      valid = wasm.validate(kernelModuleBytes());
    } catch {
      valid = false;
    }
  }
  return valid === true;
}

/** The kernels on `memory` (a shared WebAssembly.Memory), or undefined where the runtime lacks what they need. */
export function simdKernels(memory: WasmMemory): SimdKernels | undefined {
  if (!simdKernelsAvailable()) return undefined;
  const instance = new wasm.Instance(new wasm.Module(kernelModuleBytes()), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
