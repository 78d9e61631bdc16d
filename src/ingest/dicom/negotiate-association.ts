/** One presentation context as the requestor proposed it (PS3.8 §9.3.2.2). */
export interface ProposedContext {
  id: number;
  abstractSyntax: string;
  transferSyntaxes: readonly string[];
}

export interface AssociationRequest {
  calledAeTitle: string;
  callingAeTitle: string;
  contexts: readonly ProposedContext[];
}

export interface AssociationPolicy {
  /** Our AE title (DICOM_AE_TITLE). */
  aeTitle: string;
  /** DICOM_ALLOWED_AE_TITLES; undefined = any calling AE. */
  allowedCallingAeTitles: ReadonlySet<string> | undefined;
  abstractSyntaxes: readonly string[];
  /** Most preferred first. */
  transferSyntaxPreference: readonly string[];
}

/** PS3.8 §9.3.3.2 presentation-context results. */
export const CONTEXT_RESULT = {
  acceptance: 0,
  abstractSyntaxNotSupported: 3,
  transferSyntaxesNotSupported: 4,
} as const;

/** PS3.8 §9.3.4 A-ASSOCIATE-RJ reasons for source 1 (service user). */
export const REJECT_REASON = {
  callingAeTitleNotRecognized: 3,
  calledAeTitleNotRecognized: 7,
} as const;

export type ContextDecision =
  | { id: number; abstractSyntax: string; result: typeof CONTEXT_RESULT.acceptance; transferSyntax: string }
  | { id: number; abstractSyntax: string; result: typeof CONTEXT_RESULT.abstractSyntaxNotSupported | typeof CONTEXT_RESULT.transferSyntaxesNotSupported };

export type AssociationDecision =
  | { accept: true; contexts: ContextDecision[] }
  | { accept: false; reason: (typeof REJECT_REASON)[keyof typeof REJECT_REASON]; detail: string };

/** AE titles are 16-character space-padded strings; leading and trailing spaces are not significant (PS3.5 Table 6.2-1, AE). */
export function normaliseAeTitle(ae: string): string {
  return ae.trim();
}

/**
 * Decides an A-ASSOCIATE-RQ: reject when the called AE is not ours (reason 7) or the calling AE is
 * not on the allow-list (reason 3); otherwise accept the association and decide each presentation
 * context on its own (an association whose contexts are all rejected is still accepted, PS3.8 §9.3.3.2).
 */
export function negotiateAssociation(request: AssociationRequest, policy: AssociationPolicy): AssociationDecision {
  if (normaliseAeTitle(request.calledAeTitle) !== normaliseAeTitle(policy.aeTitle)) {
    return { accept: false, reason: REJECT_REASON.calledAeTitleNotRecognized, detail: 'called AE title is not this gateway' };
  }
  if (policy.allowedCallingAeTitles && !policy.allowedCallingAeTitles.has(normaliseAeTitle(request.callingAeTitle))) {
    return { accept: false, reason: REJECT_REASON.callingAeTitleNotRecognized, detail: 'calling AE title is not in DICOM_ALLOWED_AE_TITLES' };
  }
  const contexts = request.contexts.map((c): ContextDecision => {
    if (!policy.abstractSyntaxes.includes(c.abstractSyntax)) {
      return { id: c.id, abstractSyntax: c.abstractSyntax, result: CONTEXT_RESULT.abstractSyntaxNotSupported };
    }
    const transferSyntax = policy.transferSyntaxPreference.find((ts) => c.transferSyntaxes.includes(ts));
    return transferSyntax === undefined
      ? { id: c.id, abstractSyntax: c.abstractSyntax, result: CONTEXT_RESULT.transferSyntaxesNotSupported }
      : { id: c.id, abstractSyntax: c.abstractSyntax, result: CONTEXT_RESULT.acceptance, transferSyntax };
  });
  return { accept: true, contexts };
}

/** Parses DICOM_ALLOWED_AE_TITLES (comma-separated: an AE title may hold inner spaces); undefined when unset. */
export function parseAllowedAeTitles(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const titles = value.split(',').map(normaliseAeTitle).filter((t) => t !== '');
  return titles.length === 0 ? undefined : new Set(titles);
}
