import { getMetadataStorage } from 'class-validator';

type Lookup = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];

let installed = false;

/**
 * class-validator finds a DTO's rules anew on every validation: it tests the class against every decorated class of
 * the app (some 200 here) for inheritance, on every request (typestack/class-validator#2686, open). A class's rules
 * are complete once its module has loaded and never change after, so each answer is kept per class and options.
 * Called once at start-up (app.setup.ts). docs/decisions/005-validation-metadata-memo.md has the numbers;
 * validation-metadata.spec.ts fails if class-validator changes the method this wraps.
 */
export function rememberValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const find: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const kept = new WeakMap<object, Map<string, ReturnType<Lookup>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (typeof target !== 'function') return find(target, schema, always, strictGroups, groups);
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = kept.get(target);
    if (!byOptions) kept.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = find(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
