/** A socket's local address in the form private endpoints are stored in (IPv4, no ::ffff:). */
export function localAddressKey(address: string | undefined, port: number | undefined): string {
  const plain = address && address.startsWith('::ffff:') ? address.slice(7) : (address ?? '');
  return `${plain}:${port ?? 0}`;
}
