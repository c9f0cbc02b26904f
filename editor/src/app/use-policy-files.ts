import { useCallback, useEffect, useState } from 'react';
import type { PolicySummary } from '../../../shared/api.js';
import type { CompileResult } from '../../../shared/compiler/compile.js';
import { hasErrors } from '../../../shared/diagnostics.js';
import type { Graph } from '../../../shared/graph.js';
import { serializeRuleFile, type RuleFile } from '../../../shared/rule-file.js';
import type { PublishResponse } from '../../../shared/api.js';
import { api, ApiCallError, type PublishNote } from '../state/api-client.js';
import { copyPolicy, hasChangesToPublish } from '../state/policy-changes.js';
import type { EditorAction, EditorState } from '../state/editor-store.js';
import { isDirty } from '../state/editor-store.js';
import { TEMPLATES } from '../state/templates.js';

export interface Notice {
  kind: 'info' | 'success' | 'error';
  text: string;
}

const DISCARD = 'You have unsaved changes. Discard them?';

/** Opening, saving, publishing, importing and downloading policies: the editor's side of the runtime's /api. */
export function usePolicyFiles(state: EditorState, dispatch: (a: EditorAction) => void, compiled: CompileResult) {
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [published, setPublished] = useState<RuleFile | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [revision, setRevision] = useState(0);
  const [loading, setLoading] = useState(true);
  const dirty = isDirty(state);
  // A drifted policy's live rules are not its graph's: publishing the same graph is the fix, so it counts as a change.
  const drifted = policies.some((p) => p.id === state.graph.id && p.status === 'drifted');
  const changed = drifted || hasChangesToPublish(state.graph, published?.graph ?? null);

  const refreshList = useCallback(() => api.listPolicies().then((r) => setPolicies(r.policies)), []);

  const open = useCallback(
    async (id: string, force = false) => {
      if (!force && dirty && !window.confirm(DISCARD)) return;
      const detail = await api.getPolicy(id);
      setPublished(detail.ruleFile);
      const graph = detail.draft ?? detail.ruleFile?.graph;
      if (graph) dispatch({ type: 'load', graph });
      setNotice(detail.draft ? { kind: 'info', text: `Opened the unpublished draft of ${detail.summary.name}.` } : null);
    },
    [dirty, dispatch],
  );

  useEffect(() => {
    api
      .listPolicies()
      .then(async (list) => {
        setPolicies(list.policies);
        await open(list.defaultPolicy, true);
      })
      .catch((e: Error) => {
        dispatch({ type: 'load', graph: TEMPLATES.find((t) => t.key === 'cost-router')?.graph ?? TEMPLATES[0]!.graph });
        setNotice({ kind: 'error', text: `The runtime did not answer (${e.message}); editing offline.` });
      })
      .finally(() => setLoading(false));
    // Runs once: the first screen shows the default policy.
  }, []);

  // Good news fades by itself; an error stays until dismissed.
  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = DISCARD;
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const fail = (e: unknown) => setNotice({ kind: 'error', text: e instanceof Error ? e.message : String(e) });

  async function saveDraft() {
    try {
      await api.saveDraft(state.graph.id, state.graph);
      dispatch({ type: 'saved', graph: state.graph });
      setNotice({ kind: 'success', text: 'Draft saved. It is not live until you publish.' });
      void refreshList();
    } catch (e) {
      fail(e);
    }
  }

  /** Publishes the canvas; `backtestJob` names a finished backtest of exactly this graph, kept beside the version. */
  async function publish(note: PublishNote = {}, backtestJob?: string) {
    if (hasErrors(compiled.diagnostics)) {
      setNotice({ kind: 'error', text: 'Publishing is refused while the policy has errors: see Problems.' });
      return;
    }
    try {
      const { ruleFile, version, git } = await api.publish(state.graph.id, state.graph, { ...note, ...(backtestJob ? { backtestJob } : {}) });
      setPublished(ruleFile);
      dispatch({ type: 'saved', graph: ruleFile.graph });
      const after = backtestJob ? ', with its backtest' : '';
      setNotice({ kind: git?.committed === false ? 'error' : 'success', text: `Published ${ruleFile.policy.name} as version ${version}${after}: it is live now.${gitNote(git)}` });
      setRevision((r) => r + 1);
      void refreshList();
    } catch (e) {
      const diagnostics = e instanceof ApiCallError ? e.body?.diagnostics : undefined;
      fail(diagnostics?.length ? new Error(`The runtime refused to publish: ${diagnostics[0]!.message}`) : e);
    }
  }

  function rolledBack({ ruleFile, git }: PublishResponse) {
    setPublished(ruleFile);
    dispatch({ type: 'load', graph: ruleFile.graph });
    setNotice({ kind: 'success', text: `Rolled back: version ${ruleFile.policy.version} is live.${gitNote(git)}` });
    setRevision((r) => r + 1);
    void refreshList();
  }

  async function importFile(file: File) {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return setNotice({ kind: 'error', text: `${file.name} is not JSON, so it is not a rule file. Nothing changed.` });
    }
    try {
      const { graph, diagnostics } = await api.importRuleFile(json);
      if (dirty && !window.confirm(DISCARD)) return;
      dispatch({ type: 'load', graph, saved: false });
      setPublished(policies.some((p) => p.id === graph.id) ? published : null);
      const warn = diagnostics.length ? ` (${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} to look at)` : '';
      setNotice({ kind: 'success', text: `Imported ${graph.name} from ${file.name}${warn}. Save or publish to keep it.` });
    } catch (e) {
      setNotice({ kind: 'error', text: `Could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}. Nothing changed.` });
    }
  }

  function download() {
    if (!compiled.ruleFile) return setNotice({ kind: 'error', text: 'Fix the errors first: a graph with errors has no rule file.' });
    const blob = new Blob([serializeRuleFile(compiled.ruleFile)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${compiled.ruleFile.policy.id}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  function startFrom(graph: Graph) {
    if (dirty && !window.confirm(DISCARD)) return false;
    dispatch({ type: 'load', graph, saved: false });
    setPublished(null);
    setNotice({ kind: 'info', text: `New policy ${graph.name}: publish it to make it live as “${graph.id}”.` });
    return true;
  }

  /** Save as / Duplicate: the canvas under a new id and name, saved as that policy's draft. */
  async function saveAs(id: string, name: string) {
    const graph = copyPolicy(state.graph, id, name);
    try {
      await api.saveDraft(id, graph);
      dispatch({ type: 'load', graph });
      setPublished(null);
      setNotice({ kind: 'success', text: `Saved a copy as ${name} (“${id}”), a draft until you publish it.` });
      void refreshList();
    } catch (e) {
      fail(e);
    }
  }

  return { policies, published, notice, setNotice, revision, loading, dirty, changed, open, saveDraft, saveAs, publish, rolledBack, importFile, download, startFrom };
}

function gitNote(git: PublishResponse['git']): string {
  if (!git) return '';
  return git.committed ? ` Committed to git as ${git.commit.slice(0, 7)}.` : ` Not committed to git: ${git.reason}.`;
}
