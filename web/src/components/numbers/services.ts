/** "Voice, SMS" from a number's enabled services. */
export function servicesOf(number: { voice_enabled: boolean; sms_enabled: boolean; mms_enabled?: boolean }) {
  const services = [
    number.voice_enabled && 'Voice',
    number.sms_enabled && 'SMS',
    number.mms_enabled && 'MMS',
  ].filter(Boolean);
  return services.length > 0 ? services.join(', ') : 'None';
}
