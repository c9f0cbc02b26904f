import { useEffect, useState } from 'react';

const CHOICES = [
  { value: 'tag:team', label: 'Each team (tag team)' },
  { value: 'tag', label: 'Each value of another tag…' },
  { value: 'serviceKey', label: 'Each service key' },
  { value: 'user', label: 'Each user' },
  { value: 'global', label: 'Everyone together' },
];

const choiceOf = (scope: string) => (scope === 'tag:team' ? 'tag:team' : scope.startsWith('tag:') ? 'tag' : scope);

/** Who a budget or rate limit counts for, picked rather than typed as `tag:team`; the inspector's sentence above says what it means. */
export function ScopeInput(props: { id: string; name: string; value: unknown; onChange(v: string): void; invalid: object }) {
  const scope = typeof props.value === 'string' ? props.value : 'global';
  const [tagKey, setTagKey] = useState(scope.startsWith('tag:') && scope !== 'tag:team' ? scope.slice(4) : 'project');
  useEffect(() => {
    if (scope.startsWith('tag:') && scope !== 'tag:team') setTagKey(scope.slice(4));
  }, [scope]);
  const choice = choiceOf(scope);
  return (
    <>
      <select
        id={props.id}
        aria-label={props.name}
        value={choice}
        {...props.invalid}
        onChange={(e) => props.onChange(e.target.value === 'tag' ? `tag:${tagKey}` : e.target.value)}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {choice === 'tag' && (
        <input
          aria-label={`${props.name} tag key`}
          placeholder="tag key: project, feature…"
          value={tagKey}
          onChange={(e) => {
            setTagKey(e.target.value);
            props.onChange(`tag:${e.target.value.trim()}`);
          }}
        />
      )}
    </>
  );
}
