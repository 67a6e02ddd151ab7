import type { WireTask, WireParams } from './WireTask.js';

export interface ObjectiveModuleSpec {
  /** A URL (file: or data:) of an ES module. */
  readonly module: string;
  readonly exportName?: string;
  readonly spaceExport?: string;
}

export interface LoadedObjective {
  readonly objective: (params: Record<string, unknown>, context: object) => unknown;
  readonly space: unknown;
  readonly module: string;
  readonly spaceExport: string;
}

export type PlainResult = number | { value: number; state?: unknown };

export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  option?: string;
  problem?: string;
}

export function loadObjective(spec: ObjectiveModuleSpec): Promise<LoadedObjective>;
export function decodeParams(loaded: LoadedObjective, wire: WireParams): Record<string, unknown>;
export function runObjective(loaded: LoadedObjective, task: WireTask, signal: AbortSignal, onStep?: (result: PlainResult) => void): Promise<PlainResult>;
export function errorToData(error: unknown): ErrorData;
