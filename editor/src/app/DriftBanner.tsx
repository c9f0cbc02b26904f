interface Props {
  policyId: string;
  /** The runtime's sentence on how the live rules differ from the graph. */
  drift: string;
}

/**
 * Shown over the canvas when the live rule file no longer matches its graph: the picture on
 * screen is not what runs, so the product owner must not trust it until it is published again.
 */
export function DriftBanner({ policyId, drift }: Props) {
  return (
    <div className="drift-banner" role="alert" data-testid="drift-banner">
      <strong>The live rules differ from this graph.</strong> {policyId}.json was edited outside the editor: {drift}. The runtime
      serves the file’s rules; publish to make them match the graph again.
    </div>
  );
}
