/**
 * An AWS SDK or network error in French, for the person at the terminal: what happened and what
 * to do. The SDK's own English text stays in parentheses only when no known case fits.
 */
export function awsErrorText(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const name = error.name;
  const code = (error as { code?: string }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message))
    return 'identifiants AWS introuvables : indiquez un profil (AWS_PROFILE) ou des clés (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) ; pour la pile embarquée, --endpoint <adresse affichée par segur-pipeline demarrer>';
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException')
    return 'identifiants AWS expirés : renouvelez la session (aws sso login, ou de nouvelles clés) puis relancez';
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403)
    return `accès refusé par AWS (${name}) : l'identité utilisée n'a pas ce droit ; vérifiez le profil ou le rôle employé et sa politique`;
  if (name === 'NoSuchBucket')
    return 'compartiment S3 introuvable : vérifiez --input-bucket / --output-bucket et la région (--region)';
  if (name === 'ResourceNotFoundException')
    return 'table DynamoDB introuvable : vérifiez la région (--region) et que la pile est déployée';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN')
    return `service injoignable (${code}) : vérifiez --endpoint (la pile embarquée tourne-t-elle ? segur-pipeline demarrer) ou le réseau`;
  if (status !== undefined) return `le service AWS a répondu ${status} (${name}) : ${error.message}`;
  return undefined;
}
