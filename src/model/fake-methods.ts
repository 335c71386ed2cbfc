/**
 * The faker methods a `fake:` attribute may call. This list is the whitelist (and the enum
 * editors offer): each takes no argument, returns a string or a number, and draws only from
 * faker's randomizer, so a value depends on the seed alone. Methods that read the clock
 * (dates) or return objects are left out. Kept apart from the faker import so building the
 * schema does not load faker.
 */
export const FAKE_METHODS: readonly string[] = [
  ...group('person', 'firstName lastName middleName fullName gender sex prefix suffix jobTitle jobDescriptor jobArea jobType bio zodiacSign'),
  ...group('internet', 'email exampleEmail username displayName domainName domainWord domainSuffix url ipv4 ipv6 mac protocol httpMethod port password'),
  ...group('location', 'zipCode city buildingNumber street streetAddress secondaryAddress county country countryCode continent state timeZone latitude longitude'),
  ...group('company', 'name catchPhrase buzzPhrase buzzNoun buzzVerb buzzAdjective'),
  ...group('finance', 'accountNumber accountName amount bic iban creditCardNumber creditCardIssuer creditCardCVV currencyCode currencyName currencySymbol transactionType routingNumber bitcoinAddress pin'),
  ...group('phone', 'number imei'),
  ...group('commerce', 'department productName product price'),
  ...group('string', 'uuid nanoid'),
  ...group('lorem', 'word words sentence'),
  ...group('word', 'noun verb adjective'),
  ...group('color', 'human'),
  ...group('vehicle', 'vehicle manufacturer vin vrm'),
  ...group('animal', 'type'),
  ...group('music', 'genre'),
  ...group('book', 'title genre'),
  ...group('food', 'dish'),
];

function group(module: string, methods: string): string[] {
  return methods.split(' ').map((m) => `${module}.${m}`);
}
