import { useState } from 'react';
import { PolicyIdSchema } from '../../../shared/graph.js';
import { slugify } from '../../../shared/compiler/rule-names.js';

export interface PolicyNaming {
  name: string;
  id: string;
  /** Why the id cannot be used, in the words the field shows; null when it can. */
  idError: string | null;
  setName(name: string): void;
  setId(id: string): void;
}

/** Why `id` cannot name a new policy: the rule file's own schema, then the ids already taken. */
export function policyIdError(id: string, takenIds: readonly string[]): string | null {
  const check = PolicyIdSchema.safeParse(id);
  if (!check.success) return check.error.issues[0]?.message ?? 'not a policy id';
  return takenIds.includes(id) ? 'a policy with this id exists: pick another' : null;
}

/** A new policy's name and id: the id follows the name as a slug until the owner types one of their own. */
export function usePolicyNaming(initialName: string, takenIds: readonly string[]): PolicyNaming {
  const [name, setNameState] = useState(initialName);
  const [id, setIdState] = useState(() => slugify(initialName));
  const [idTouched, setIdTouched] = useState(false);
  return {
    name,
    id,
    idError: policyIdError(id, takenIds),
    setName(next) {
      setNameState(next);
      if (!idTouched) setIdState(slugify(next));
    },
    setId(next) {
      setIdTouched(true);
      setIdState(next);
    },
  };
}
