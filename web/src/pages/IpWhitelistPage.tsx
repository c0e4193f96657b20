import { Card, Divider, Loader, Stack, Text, Title } from '@mantine/core';
import { AddCidrForm } from '../components/ip-whitelist/AddCidrForm';
import { CidrTable } from '../components/ip-whitelist/CidrTable';
import { EnableSwitch } from '../components/ip-whitelist/EnableSwitch';
import { useIpWhitelist } from '../components/ip-whitelist/whitelist';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/** Account > Settings > IP Whitelisting: restrict API access to CIDR addresses, then toggle it on. */
export function IpWhitelistPage() {
  return (
    <Stack maw={900} gap="lg">
      <PageTitle section="Account › Settings" title="IP Whitelisting" />
      <RoleGate capability="manageIpWhitelist" activity="manage IP whitelisting">
        <WhitelistCard />
      </RoleGate>
    </Stack>
  );
}

function WhitelistCard() {
  const whitelist = useIpWhitelist();
  if (whitelist.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (whitelist.isError) return <QueryError error={whitelist.error} />;
  const { enabled, entries, yourAddress } = whitelist.data;
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Text fz="sm">
          IP Whitelisting restricts API access to the addresses below. It applies to API requests made with
          the account's Auth ID and Auth Token, not to signing in to this console.
        </Text>
        <EnableSwitch enabled={enabled} />
        <Divider />
        <Title order={3} fz="h5">
          Addresses
        </Title>
        <CidrTable entries={entries} />
        <AddCidrForm yourAddress={yourAddress} />
      </Stack>
    </Card>
  );
}
