import { createContext, useContext } from 'react';

/** What a node on the canvas may ask of the canvas around it (React Flow renders nodes without our props). */
export interface CanvasActions {
  /** The "+" beside an output: offer the kinds that may follow it. */
  openPicker(source: string, sourceHandle: string, at: { x: number; y: number }): void;
}

export const CanvasActionsContext = createContext<CanvasActions>({ openPicker: () => undefined });

export const useCanvasActions = () => useContext(CanvasActionsContext);
