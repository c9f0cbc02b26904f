import type { PolicyNaming } from './use-policy-naming.js';

/** The Name and Policy id fields of a dialog that creates a policy; `prefix` keeps their element ids apart. */
export function PolicyNameFields({ naming, prefix }: { naming: PolicyNaming; prefix: string }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>Name</label>
        <input id={`${prefix}-name`} value={naming.name} onChange={(e) => naming.setName(e.target.value)} />
      </div>
      <div className={naming.idError ? 'field has-error' : 'field'}>
        <label htmlFor={`${prefix}-id`}>Policy id</label>
        <input id={`${prefix}-id`} value={naming.id} aria-invalid={naming.idError ? true : undefined} aria-describedby={naming.idError ? `${prefix}-id-error` : undefined} onChange={(e) => naming.setId(e.target.value)} />
        {naming.idError && (
          <p className="field-error" id={`${prefix}-id-error`} role="alert">
            {naming.idError}
          </p>
        )}
      </div>
    </>
  );
}
