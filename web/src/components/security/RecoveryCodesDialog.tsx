import { Alert, Button, Code, CopyButton, Group, Modal, SimpleGrid, Stack } from '@mantine/core';

function download(codes: string[]) {
  const text = `Switchboard recovery codes (each works once)\n\n${codes.join('\n')}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'switchboard-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(url);
}

/** A new set of recovery codes, shown this once: copy or download them before closing. */
export function RecoveryCodesDialog({ codes, onClose }: { codes: string[] | null; onClose: () => void }) {
  return (
    <Modal opened={codes !== null} onClose={onClose} title="Your new recovery codes" centered>
      {codes && (
        <Stack>
          <Alert color="yellow" variant="light">
            This is the only time these codes are shown. Save them now; each works once.
          </Alert>
          <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
            {codes.map((code) => (
              <Code key={code} fz="md" ta="center" py={6}>
                {code}
              </Code>
            ))}
          </SimpleGrid>
          <Group justify="space-between">
            <Group gap="xs">
              <CopyButton value={codes.join('\n')}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
              <Button variant="default" onClick={() => download(codes)}>
                Download
              </Button>
            </Group>
            <Button onClick={onClose}>I have saved them</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
