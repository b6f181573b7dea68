/** Configuration is read once at start: a missing variable stops the function before any event. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new ConfigurationError(`variable d'environnement ${name} absente`);
  return value;
}
