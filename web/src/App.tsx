import { Route, Routes } from 'react-router';
import { ConsoleLayout } from './components/ConsoleLayout';
import { ApiLogsPage } from './pages/ApiLogsPage';
import { ApplicationsPage } from './pages/ApplicationsPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { PaymentSettingsPage } from './pages/billing/PaymentSettingsPage';
import { ConfirmEmailPage } from './pages/ConfirmEmailPage';
import { CredentialsPage } from './pages/CredentialsPage';
import { DevOutboxPage } from './pages/DevOutboxPage';
import { EndpointsPage } from './pages/EndpointsPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { HomePage } from './pages/HomePage';
import { InvitationPage } from './pages/InvitationPage';
import { InvoicesPage } from './pages/InvoicesPage';
import { IpWhitelistPage } from './pages/IpWhitelistPage';
import { LimitsPage } from './pages/LimitsPage';
import { MessageDetailPage } from './pages/messaging/MessageDetailPage';
import { MessageLogsPage } from './pages/messaging/MessageLogsPage';
import { SenderIdsPage } from './pages/messaging/SenderIdsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NumbersPage } from './pages/NumbersPage';
import { OnboardingPage } from './pages/OnboardingPage';
import { PricingPage } from './pages/PricingPage';
import { ProfileSettingsPage } from './pages/ProfileSettingsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SecuritySettingsPage } from './pages/SecuritySettingsPage';
import { ServiceAddressPage } from './pages/ServiceAddressPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { StaffPage } from './pages/StaffPage';
import { StaffSetupPage } from './pages/StaffSetupPage';
import { SubaccountsPage } from './pages/SubaccountsPage';
import { SupportPage } from './pages/SupportPage';
import { SupportTicketLinkPage } from './pages/SupportTicketLinkPage';
import { SupportTicketsPage } from './pages/SupportTicketsPage';
import { TeamPage } from './pages/TeamPage';
import { TransactionsPage } from './pages/TransactionsPage';
import { UsageSummaryPage } from './pages/UsageSummaryPage';
import { VerifyEmailPage } from './pages/VerifyEmailPage';
import { CallDetailPage } from './pages/voice/CallDetailPage';
import { CallLogsPage } from './pages/voice/CallLogsPage';

/** Every page of the console; paths are listed in README "Pages". */
export function App() {
  return (
    <Routes>
      <Route path="/signup" element={<SignUpPage />} />
      <Route path="/signin" element={<SignInPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/confirm-email" element={<ConfirmEmailPage />} />
      <Route path="/onboarding" element={<OnboardingPage />} />
      <Route path="/invitation" element={<InvitationPage />} />
      <Route path="/staff" element={<StaffPage />} />
      <Route path="/staff/setup" element={<StaffSetupPage />} />
      <Route path="/staff/accounts/:accountId" element={<StaffPage />} />
      <Route path="/dev/outbox" element={<DevOutboxPage />} />
      <Route path="/support" element={<SupportPage />} />
      <Route path="/support/ticket" element={<SupportTicketLinkPage />} />
      <Route element={<ConsoleLayout />}>
        <Route path="/" element={<HomePage />} />
        <Route path="/account/settings/profile" element={<ProfileSettingsPage />} />
        <Route path="/account/settings/credentials" element={<CredentialsPage />} />
        <Route path="/account/settings/security" element={<SecuritySettingsPage />} />
        <Route path="/account/settings/ip-whitelisting" element={<IpWhitelistPage />} />
        <Route path="/account/settings/audit-log" element={<AuditLogPage />} />
        <Route path="/account/settings/team" element={<TeamPage />} />
        <Route path="/numbers" element={<NumbersPage />} />
        <Route path="/applications" element={<ApplicationsPage />} />
        <Route path="/endpoints" element={<EndpointsPage />} />
        <Route path="/subaccounts" element={<SubaccountsPage />} />
        <Route path="/account/limits" element={<LimitsPage />} />
        <Route path="/account/service-address" element={<ServiceAddressPage />} />
        <Route path="/logs/api" element={<ApiLogsPage />} />
        <Route path="/billing/transactions" element={<TransactionsPage />} />
        <Route path="/voice/calls" element={<CallLogsPage />} />
        <Route path="/voice/calls/:callUuid" element={<CallDetailPage />} />
        <Route path="/voice/pricing" element={<PricingPage product="voice" />} />
        <Route path="/messaging/pricing" element={<PricingPage product="messaging" />} />
        <Route path="/messaging/logs" element={<MessageLogsPage />} />
        <Route path="/messaging/logs/:messageUuid" element={<MessageDetailPage />} />
        <Route path="/messaging/sender-ids" element={<SenderIdsPage />} />
        <Route path="/billing/usage" element={<UsageSummaryPage />} />
        <Route path="/billing/payment-settings" element={<PaymentSettingsPage />} />
        <Route path="/billing/invoices" element={<InvoicesPage />} />
        <Route path="/support/tickets" element={<SupportTicketsPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
