export declare const space: { x: number[]; y: number[]; warp: ((v: number) => number)[] };
declare function objective(params: { x: number; y: number; warp: (v: number) => number }): number;
export default objective;
