/** The PEM certificate blocks in a text (a CA bundle, a certificate-with-key file), in order. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
