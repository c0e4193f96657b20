import { displayMoney, type Money } from '../lib/money.js';

/** The words of every message Switchboard sends to people, in one place. */
export interface MessageText {
  subject: string;
  text: string;
}

const sign = '\n\n— Switchboard';

/**
 * A moment as people read it, in a time zone (an IANA name; UTC when the account has none):
 * "3 December 2026, 14:18 UTC", or "3 December 2026, 19:48 Asia/Kolkata (UTC+5:30)".
 */
export function timeForPeople(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'shortOffset',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const zone = timeZone === 'UTC' ? 'UTC' : `${timeZone} (${parts.timeZoneName?.replace('GMT', 'UTC')})`;
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${zone}`;
}

/** One product's line of the daily usage summary email, already formatted. */
export interface UsageSummaryRow {
  product: string;
  events: bigint;
  quantity: string;
  amount: string;
}

export const messages = {
  verifyEmail: (name: string, link: string): MessageText => ({
    subject: 'Verify your email address',
    text: `Hello ${name},\n\nConfirm your email address to continue setting up your account:\n${link}\n\nThe link works once and expires in 24 hours.${sign}`,
  }),
  phoneCode: (code: string): MessageText => ({
    subject: 'Verification code',
    text: `Your Switchboard verification code is ${code}. It expires in 10 minutes.`,
  }),
  passwordReset: (name: string, link: string): MessageText => ({
    subject: 'Reset your password',
    text: `Hello ${name},\n\nSomeone asked to reset the password of your Switchboard account. To choose a new password, open:\n${link}\n\nThe link works once and expires in 1 hour. If you did not ask for this, ignore this email.${sign}`,
  }),
  passwordChanged: (name: string, at: Date, timeZone: string): MessageText => ({
    subject: 'Your password was changed',
    text: `Hello ${name},\n\nYour Switchboard password was changed on ${timeForPeople(at, timeZone)} and every session was signed out. If this was not you, reset your password now and contact support.${sign}`,
  }),
  confirmNewEmail: (name: string, link: string): MessageText => ({
    subject: 'Confirm your new email address',
    text: `Hello ${name},\n\nTo make this your Switchboard sign-in address, open:\n${link}\n\nThe link works once and expires in 24 hours.${sign}`,
  }),
  emailChanged: (name: string, newEmail: string): MessageText => ({
    subject: 'Your sign-in email was changed',
    text: `Hello ${name},\n\nYour Switchboard sign-in email was changed to ${newEmail}. If this was not you, contact support at once.${sign}`,
  }),
  newDeviceSignIn: (name: string, at: Date, timeZone: string, ip: string, browser: string): MessageText => ({
    subject: 'New sign-in to your account',
    text: `Hello ${name},\n\nYour Switchboard account was signed in from a new device.\n\nTime: ${timeForPeople(at, timeZone)}\nIP address: ${ip}\nBrowser: ${browser}\n\nIf this was not you, change your password and regenerate your Auth Token now.${sign}`,
  }),
  signInLocked: (name: string, minutes: number): MessageText => ({
    subject: 'Sign-in paused after failed attempts',
    text: `Hello ${name},\n\nThere were several failed attempts to sign in to your Switchboard account, so sign-in is paused for ${minutes} minutes. If this was not you, consider changing your password.${sign}`,
  }),
  twoFactorChanged: (name: string, change: string): MessageText => ({
    subject: 'Your two-factor authentication changed',
    text: `Hello ${name},\n\n${change}\n\nIf this was not you, contact support at once.${sign}`,
  }),
  credentialsChanged: (name: string, change: string): MessageText => ({
    subject: 'Security notice: your API credentials changed',
    text: `Hello ${name},\n\n${change}\n\nIf you did not expect this, regenerate your Auth Token and contact support.${sign}`,
  }),
  accountSecured: (name: string, accountName: string, by: string, steps: string[]): MessageText => ({
    subject: `Security notice: ${accountName} was secured`,
    text: `Hello ${name},\n\n${by} used "Secure my account" on ${accountName}:\n${steps.map((s) => `- ${s}`).join('\n')}\n\nReview next (Account > Settings > Security): recent sign-ins, payment receipts of the last 30 days, usage of the last 7 days and team changes; remove anyone you do not know. If anything looks wrong, open a support ticket.${sign}`,
  }),
  inactivityWarning: (
    name: string,
    accountName: string,
    idleDays: number,
    removeDays: number,
  ): MessageText => ({
    subject: `${accountName} has been inactive for ${idleDays} days`,
    text: `Hello ${name},\n\nNobody has signed in to ${accountName} or used its API for ${idleDays} days. Accounts with stored payment methods are vulnerable to takeover, so if the account stays inactive for ${removeDays} more days its stored payment methods will be removed and auto-recharge turned off.\n\nTo keep the account active, sign in or use the API, or contact support.${sign}`,
  }),
  inactivityPaymentMethodsRemoved: (name: string, accountName: string, idleDays: number): MessageText => ({
    subject: `Stored payment methods removed from ${accountName}`,
    text: `Hello ${name},\n\n${accountName} has had no sign-in or API use for ${idleDays} days, so under the inactive account policy its stored payment methods were removed and auto-recharge was turned off. Your balance is unchanged. Sign in to add a card again, or contact support.${sign}`,
  }),
  accountProvisioned: (name: string, link: string): MessageText => ({
    subject: 'Your Switchboard account is ready',
    text: `Hello ${name},\n\nAn account was created for you. Choose your password here:\n${link}\n\nThe link works once and expires in 72 hours. You will then verify your phone for two-factor authentication.${sign}`,
  }),
  invitation: (inviter: string, accountName: string, role: string, link: string): MessageText => ({
    subject: `${inviter} invited you to ${accountName} on Switchboard`,
    text: `Hello,\n\n${inviter} invited you to join ${accountName} as ${role}. To accept, open:\n${link}\n\nThe link works once and expires in 7 days.${sign}`,
  }),
  roleChanged: (name: string, accountName: string, role: string): MessageText => ({
    subject: `Your role in ${accountName} changed`,
    text: `Hello ${name},\n\nYour role in ${accountName} is now ${role}.${sign}`,
  }),
  removedFromAccount: (name: string, accountName: string): MessageText => ({
    subject: `You were removed from ${accountName}`,
    text: `Hello ${name},\n\nYou are no longer a member of ${accountName} on Switchboard, and your sessions in it have ended.${sign}`,
  }),
  accountUnderReview: (name: string): MessageText => ({
    subject: 'Your account is under review',
    text: `Hello ${name},\n\nThanks for verifying your details. Your account is being reviewed for compliance with telecommunications regulations; most accounts are activated within 24 hours. We will email you when the review is done.${sign}`,
  }),
  accountApproved: (name: string, note: string): MessageText => ({
    subject: 'Your account is active',
    text: `Hello ${name},\n\nYour Switchboard account has been reviewed and is now active.${note ? `\n\nNote from our team: ${note}` : ''}${sign}`,
  }),
  accountRejected: (name: string, note: string): MessageText => ({
    subject: 'Your account could not be activated',
    text: `Hello ${name},\n\nAfter review, we could not activate your Switchboard account.\n\nReason: ${note}\n\nReply to support if you can provide more information.${sign}`,
  }),
  staffSetup: (name: string, link: string): MessageText => ({
    subject: 'Set up your Switchboard staff access',
    text: `Hello ${name},\n\nSet your password and authenticator app here:\n${link}\n\nThe link works once and expires in 72 hours.${sign}`,
  }),
  usageSummary: (
    name: string,
    accountName: string,
    day: string,
    timeZone: string,
    rows: UsageSummaryRow[],
    total: string,
  ): MessageText => ({
    subject: `Usage summary for ${accountName}, ${day}`,
    text: `Hello ${name},\n\nUsage of ${accountName} on ${day} (${timeZone}), the main account and its subaccounts together:\n\n${rows
      .map((row) => `${row.product}: ${row.events} events, ${row.quantity}, ${row.amount}`)
      .join(
        '\n',
      )}\n\nTotal: ${total}\n\nBilling > Usage Summary in the console has the details by day and subaccount, and the CSV export. To stop these emails, turn off "Daily usage summary email" on that page.${sign}`,
  }),
  /** A balance alert: the thresholds (already readable, highest first) the balance dropped below. */
  balanceAlert: (
    accountName: string,
    authId: string,
    thresholds: string[],
    balance: string,
    at: Date,
    timeZone: string,
  ): MessageText => {
    const below =
      thresholds.length === 1
        ? thresholds[0]
        : `${thresholds.slice(0, -1).join(', ')} and ${thresholds[thresholds.length - 1]}`;
    return {
      subject: `Balance alert: ${accountName} is below ${thresholds[thresholds.length - 1]}`,
      text: `Hello,\n\nThe balance of ${accountName} (${authId}) dropped below ${below} on ${timeForPeople(at, timeZone)}. It is now ${balance}.\n\nWhen the balance runs out, calls and messages stop. Add credit in the console, Billing > Payment Settings. The alert thresholds and the addresses these alerts go to are set on the same page.${sign}`,
    };
  },
  accountSuspended: (reason: string, details: string, whatToAddress: string): MessageText => ({
    subject: `Your account is suspended: ${reason}`,
    text: `Hello,\n\nYour account has been suspended. Reason: ${reason}.\n\n${details}\n\nWhile it is suspended the API answers 403, calls in progress are ended and no new calls, messages or rentals start; scheduled messages are held. Your numbers stay rented.\n\nWhat to address: ${whatToAddress}\n\nThen sign in to the console and choose "Request reinstatement" with what you did; our staff review each request.${sign}`,
  }),
  accountClosed: (accountName: string, authId: string, by: string, refund: string): MessageText => ({
    subject: `${accountName} is closed`,
    text: `Hello,\n\n${accountName} (Auth ID ${authId}) was closed by ${by}. Its applications, phone numbers, endpoints and logs are deleted, and no member can sign in to it or use its credentials any more.\n\n${refund}\n\nThe account's Auth ID is never given to another account. If you did not ask for this, open a ticket at Support at once.${sign}`,
  }),
  refundIssued: (accountName: string, amount: string, card: string): MessageText => ({
    subject: `Refund of ${amount} issued for ${accountName}`,
    text: `Hello,\n\nThe refund of ${amount} from the closed account ${accountName} was issued to ${card}. Your bank may take a few days to show it.${sign}`,
  }),
  refundFailed: (accountName: string, amount: string, reason: string): MessageText => ({
    subject: `Refund of ${amount} for ${accountName} could not be issued`,
    text: `Hello,\n\nThe refund of ${amount} from the closed account ${accountName} could not be issued to the card that paid it: ${reason}\n\nOur staff will contact you to refund it another way; you can also open a ticket at Support.${sign}`,
  }),
  accountReinstated: (): MessageText => ({
    subject: 'Your account is reinstated',
    text: `Hello,\n\nYour account has been reinstated: the API, calls and messages work again.${sign}`,
  }),
  spendCapAlert: (
    subaccountName: string,
    subaccountAuthId: string,
    period: 'daily' | 'monthly',
    percent: number,
    spent: string,
    cap: string,
  ): MessageText => ({
    subject:
      percent >= 100
        ? `Subaccount ${subaccountName} reached its ${period} spend cap`
        : `Subaccount ${subaccountName} has used ${percent}% of its ${period} spend cap`,
    text: `Hello,\n\nThe subaccount ${subaccountName} (${subaccountAuthId}) has spent ${spent} of its ${period} spend cap of ${cap}.${
      percent >= 100
        ? ' Until the cap resets it is treated as out of credit: its calls are disconnected and it cannot start new calls, messages or rentals. The main account and its other subaccounts go on.'
        : ' At the cap it will be treated as out of credit: its calls will be disconnected and it will not start new ones.'
    }\n\nThe caps are set in Account > Subaccounts.${sign}`,
  }),
  paymentReceived: (name: string, accountName: string, amount: string, receiptUrl: string): MessageText => ({
    subject: `Payment received: ${amount} added to ${accountName}`,
    text: `Hello ${name},\n\nWe received your payment of ${amount}; it is now in ${accountName}'s balance.\n\nYour receipt (sign in to the console to open it):\n${receiptUrl}\n\nBilling > Payment Settings lists every payment.${sign}`,
  }),
  paymentFailed: (name: string, accountName: string, amount: string, reason: string): MessageText => ({
    subject: `Payment of ${amount} for ${accountName} did not go through`,
    text: `Hello ${name},\n\nThe payment of ${amount} for ${accountName} failed: ${reason}\n\nNothing was added to the balance. Try another card in Billing > Payment Settings.${sign}`,
  }),
  autoRechargeRefused: (name: string, accountName: string, amount: string, why: string): MessageText => ({
    subject: `Auto-recharge for ${accountName} was not made`,
    text: `Hello ${name},\n\nThe balance of ${accountName} fell below its auto-recharge threshold, but the recharge of ${amount} was not made: ${why}\n\nRecharge by hand, or change the caps, in Billing > Payment Settings.${sign}`,
  }),
  autoRechargeFailed: (
    name: string,
    accountName: string,
    amount: string,
    reason: string,
    next: string,
  ): MessageText => ({
    subject: `Auto-recharge for ${accountName} failed`,
    text: `Hello ${name},\n\nThe auto-recharge of ${amount} for ${accountName} failed: ${reason}\n\n${next}\n\nCheck the card in Billing > Payment Settings.${sign}`,
  }),
  invoiceIssued: (
    name: string,
    accountName: string,
    number: string,
    month: string,
    closing: Money,
    link: string,
  ): MessageText => ({
    subject: `Invoice ${number} for ${accountName}, ${month}`,
    text: `Hello ${name},\n\nInvoice ${number} of ${accountName} for ${month} is ready. The closing balance of the month was ${displayMoney(closing, 'en-US')}.\n\nDownload the PDF from Billing > Invoices in the console:\n${link}${sign}`,
  }),
  supportTicketCreated: (number: string, subject: string, link: string): MessageText => ({
    subject: `[${number}] We received your request: ${subject}`,
    text: `Hello,\n\nThank you for contacting support. Your ticket number is ${number} ("${subject}"). We answer by email; keep the number to check the ticket's status at any time:\n${link}${sign}`,
  }),
  supportStatusLink: (number: string, link: string): MessageText => ({
    subject: `[${number}] Your link to the ticket`,
    text: `Hello,\n\nSomeone asked to check the status of ticket ${number}. Open it here:\n${link}\n\nThe link works once and expires in 1 hour. If you did not ask for this, ignore this email.${sign}`,
  }),
  supportAnswered: (number: string, subject: string, link: string): MessageText => ({
    subject: `[${number}] New reply: ${subject}`,
    text: `Hello,\n\nSupport answered your ticket ${number} ("${subject}"). Read the answer and reply from Check Ticket Status (or Support in the console):\n${link}${sign}`,
  }),
  supportSolved: (number: string, subject: string, reopenDays: number, link: string): MessageText => ({
    subject: `[${number}] Solved: ${subject}`,
    text: `Hello,\n\nYour ticket ${number} ("${subject}") is solved. If it is not, you can reopen it within ${reopenDays} days from Check Ticket Status:\n${link}${sign}`,
  }),
  supportCustomerReplied: (number: string, subject: string, link: string): MessageText => ({
    subject: `[${number}] Customer replied: ${subject}`,
    text: `Hello,\n\nThe customer wrote again on ticket ${number} ("${subject}"). Open it in the staff console, Tickets:\n${link}${sign}`,
  }),
  supportTicketAssigned: (name: string, number: string, subject: string, link: string): MessageText => ({
    subject: `[${number}] Assigned to you: ${subject}`,
    text: `Hello ${name},\n\nTicket ${number} ("${subject}") is assigned to you. Open it in the staff console, Tickets:\n${link}${sign}`,
  }),
};
