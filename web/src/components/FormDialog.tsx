import { Button, Group, Modal, type ModalProps, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { FormAlert } from './FormAlert';

/**
 * The shell of a dialog that creates or changes something (in one form, or in steps). Its content
 * mounts only while it is open, so every opening starts from the values it is given and no refusal
 * of an earlier attempt is left showing.
 */
export function FormDialog({
  opened,
  onClose,
  title,
  size,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  size?: ModalProps['size'];
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} centered>
      {opened && children}
    </Modal>
  );
}

/** What a dialog's form sends; a React Query mutation is one. */
export interface DialogSave {
  mutate: () => void;
  isPending: boolean;
  error: unknown;
}

/**
 * The form inside a FormDialog: its fields, then the refusal of the form as a whole (problems tied
 * to `errorFields` are shown beside those fields instead), Cancel and the submit button.
 */
export function DialogForm({
  save,
  submitLabel,
  onCancel,
  errorFields,
  error = save.error,
  children,
}: {
  save: DialogSave;
  submitLabel: string;
  onCancel: () => void;
  errorFields?: string[];
  /** The refusal to show under the fields, when the form shows some of them its own way. */
  error?: unknown;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {children}
        <FormAlert error={error} fields={errorFields} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
