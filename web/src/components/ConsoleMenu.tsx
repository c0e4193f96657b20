import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useAccess } from '../access';
import type { Capability } from '../roles';

interface MenuPage {
  label: string;
  to: string;
  /** Shown only to roles with this capability. */
  capability?: Capability;
}

interface MenuGroup {
  label: string;
  items: MenuItem[];
}

type MenuItem = MenuPage | MenuGroup;

/** The console's pages in the FAQ's menu map (Account > Settings > …, Voice > Calls, Phone Numbers, Applications, Endpoints, Subaccounts, Logs > API). */
const menu: MenuItem[] = [
  { label: 'Home', to: '/' },
  {
    label: 'Account',
    items: [
      {
        label: 'Settings',
        items: [
          { label: 'Profile', to: '/account/settings/profile' },
          { label: 'Credentials', to: '/account/settings/credentials', capability: 'viewCredentials' },
          { label: 'Security', to: '/account/settings/security' },
          {
            label: 'IP Whitelisting',
            to: '/account/settings/ip-whitelisting',
            capability: 'manageIpWhitelist',
          },
          { label: 'Team', to: '/account/settings/team', capability: 'manageTeam' },
          { label: 'Audit Log', to: '/account/settings/audit-log', capability: 'readAuditLog' },
        ],
      },
      { label: 'Limits', to: '/account/limits', capability: 'viewLimits' },
      { label: 'Service Address', to: '/account/service-address' },
    ],
  },
  {
    label: 'Billing',
    items: [
      { label: 'Usage Summary', to: '/billing/usage', capability: 'readUsage' },
      { label: 'Transactions', to: '/billing/transactions', capability: 'viewBilling' },
      { label: 'Payment Settings', to: '/billing/payment-settings', capability: 'managePayments' },
      { label: 'Invoices', to: '/billing/invoices', capability: 'viewBilling' },
    ],
  },
  {
    label: 'Voice',
    items: [
      { label: 'Calls', to: '/voice/calls', capability: 'readCallLogs' },
      { label: 'Pricing', to: '/voice/pricing', capability: 'viewPricing' },
    ],
  },
  {
    label: 'Messaging',
    items: [
      { label: 'Logs', to: '/messaging/logs', capability: 'readMessageLogs' },
      { label: 'Sender IDs', to: '/messaging/sender-ids', capability: 'manageSenderIds' },
      { label: 'Pricing', to: '/messaging/pricing', capability: 'viewPricing' },
    ],
  },
  { label: 'Phone Numbers', to: '/numbers', capability: 'manageNumbers' },
  { label: 'Applications', to: '/applications', capability: 'manageApplications' },
  { label: 'Endpoints', to: '/endpoints', capability: 'manageEndpoints' },
  { label: 'Subaccounts', to: '/subaccounts', capability: 'viewSubaccounts' },
  { label: 'Logs', items: [{ label: 'API', to: '/logs/api', capability: 'readApiLogs' }] },
  { label: 'Support', to: '/support/tickets', capability: 'useSupport' },
];

const isGroup = (item: MenuItem): item is MenuGroup => 'items' in item;

/**
 * The menu, without the pages the member's role cannot use. When the role cannot be read, every
 * page is listed and the server's answer decides on the page.
 */
export function ConsoleMenu() {
  const { pathname } = useLocation();
  const access = useAccess();
  const visible = (page: MenuPage) =>
    !page.capability || access.can(page.capability) || (!access.pending && !access.role);

  const prune = (items: MenuItem[]): MenuItem[] =>
    items.flatMap((item): MenuItem[] => {
      if (!isGroup(item)) return visible(item) ? [item] : [];
      const children = prune(item.items);
      return children.length > 0 ? [{ ...item, items: children }] : [];
    });

  const render = (item: MenuItem) =>
    isGroup(item) ? (
      <NavLink key={item.label} label={item.label} defaultOpened childrenOffset="sm">
        {item.items.map(render)}
      </NavLink>
    ) : (
      <NavLink
        key={item.to}
        component={Link}
        to={item.to}
        label={item.label}
        active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
      />
    );

  return <>{prune(menu).map(render)}</>;
}
