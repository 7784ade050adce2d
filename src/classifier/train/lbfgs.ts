// Limited-memory BFGS (two-loop recursion, backtracking Armijo line search): minimises a smooth
// function of millions of parameters, as scikit-learn's default logistic regression solver does.

export interface LbfgsOptions {
  maxIterations: number;
  /** History size. */
  memory?: number;
  /** Stop when the largest gradient component falls below this. */
  gradientTolerance?: number;
  /** Stop when the objective improves by less than this fraction. */
  relativeTolerance?: number;
  onIteration?: (iteration: number, value: number, gradMax: number, evaluations: number, x: Float64Array) => void;
}

export type Objective = (x: Float64Array, gradient: Float64Array) => Promise<number>;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Whether the new pair will be kept (positive curvature), so the oldest pair may be recycled. */
function curvatureOk(xNew: Float64Array, x: Float64Array, gNew: Float64Array, g: Float64Array): boolean {
  let ys = 0;
  for (let i = 0; i < x.length; i++) ys += ((xNew[i] as number) - (x[i] as number)) * ((gNew[i] as number) - (g[i] as number));
  return ys > 1e-10;
}

export async function minimize(f: Objective, x: Float64Array, options: LbfgsOptions): Promise<{ value: number; iterations: number }> {
  const m = options.memory ?? 7;
  const gtol = options.gradientTolerance ?? 1e-4;
  const rtol = options.relativeTolerance ?? 1e-7;
  const n = x.length;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  let value = await f(x, g);
  let evaluations = 1;
  let iteration = 0;

  for (; iteration < options.maxIterations; iteration++) {
    if (maxAbs(g) < gtol) break;
    // d = -H g by the two-loop recursion.
    d.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(S[k] as Float64Array, d);
      alpha[k] = a;
      const y = Y[k] as Float64Array;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (y[i] as number);
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array) : 1 / Math.sqrt(dot(g, g));
    for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma;
    for (let k = 0; k < S.length; k++) {
      const b = (rho[k] as number) * dot(Y[k] as Float64Array, d);
      const s = S[k] as Float64Array;
      const coef = (alpha[k] as number) - b;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) + coef * (s[i] as number);
    }
    for (let i = 0; i < n; i++) d[i] = -(d[i] as number);

    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number) / Math.sqrt(dot(g, g));
      slope = dot(g, d);
    }

    let step = 1;
    let valueNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] as number) + step * (d[i] as number);
      valueNew = await f(xNew, gNew);
      evaluations++;
      if (valueNew <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(valueNew < value)) break;

    // Reuse the oldest pair's buffers once the history is full (each is n doubles).
    const recycled = S.length === m && curvatureOk(xNew, x, gNew, g);
    const s = recycled ? (S.shift() as Float64Array) : new Float64Array(n);
    const y = recycled ? (Y.shift() as Float64Array) : new Float64Array(n);
    if (recycled) rho.shift();
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const ys = dot(y, s);
    if (ys > 1e-10) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / ys);
    }
    const improvement = (value - valueNew) / Math.max(Math.abs(value), 1e-12);
    x.set(xNew);
    g.set(gNew);
    value = valueNew;
    options.onIteration?.(iteration + 1, value, maxAbs(g), evaluations, x);
    if (improvement < rtol) {
      iteration++;
      break;
    }
  }
  return { value, iterations: iteration };
}
