// Types for the part of ml-regression the tutor uses (the package ships none that NodeNext resolves).
declare module 'ml-regression' {
  /** Least-squares line y = slope·x + intercept. */
  export class SimpleLinearRegression {
    constructor(x: number[], y: number[]);
    slope: number;
    intercept: number;
    predict(x: number): number;
  }
}
