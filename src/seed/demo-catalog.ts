import type { AppNoteKind, SignOnMode, TimeoutAction } from '../generated/prisma/client';

/*
 * What the demo organisation holds: plain data that src/seed/demo.ts writes.
 * People and groups are referred to by e-mail and group name so that this
 * file reads without ids.
 */

export interface DemoUser {
  email: string;
  name: string;
  isAdmin?: boolean;
}

export const DEMO_USERS: DemoUser[] = [
  // An administrator in the database, so the demo needs no ADMIN_EMAILS.
  { email: 'admin@example.com', name: 'Ada Admin', isAdmin: true },
  { email: 'alice@example.com', name: 'Alice Anderson' },
  { email: 'bob@example.com', name: 'Bob Baker' },
  { email: 'carol@example.com', name: 'Carol Chen' },
  { email: 'dave@example.com', name: 'Dave Diaz' },
  { email: 'erin@example.com', name: 'Erin Evans' },
];

/** The manager who approves the first step of most chains. */
const MANAGER = 'bob@example.com';
const ADMIN = 'admin@example.com';
const IT_OPERATIONS = 'IT Operations';
const FINANCE_APPROVERS = 'Finance Approvers';

export interface DemoGroup {
  name: string;
  description: string;
  members: string[];
}

export const DEMO_GROUPS: DemoGroup[] = [
  {
    name: IT_OPERATIONS,
    description: 'Runs the tools engineering depends on.',
    members: ['carol@example.com', 'dave@example.com'],
  },
  {
    name: FINANCE_APPROVERS,
    description: 'Signs off on tools that cost money per seat.',
    members: [MANAGER, 'erin@example.com'],
  },
];

/** One approval step; exactly one of `user` and `group` is set. */
export interface DemoStep {
  user?: string;
  group?: string;
  timeout: string;
  timeoutAction: TimeoutAction;
  escalateTo?: string;
  notificationMessage?: string;
}

export interface DemoApp {
  name: string;
  label: string;
  description: string;
  host: string;
  launchPath?: string;
  signOnMode: SignOnMode;
  requestable: boolean;
  approvalRequired: boolean;
  requesterNote?: string;
  steps?: DemoStep[];
  notes?: { kind: AppNoteKind; body: string }[];
  /** Assigned by an administrator, outside self service. */
  assignedTo?: string[];
}

export const DEMO_APPS: DemoApp[] = [
  {
    name: 'slack',
    label: 'Slack',
    description: 'Team chat, channels and huddles.',
    host: 'app.slack.com',
    signOnMode: 'OPENID_CONNECT',
    requestable: true,
    approvalRequired: false,
  },
  {
    name: 'zoom',
    label: 'Zoom',
    description: 'Video meetings and webinars.',
    host: 'zoom.us',
    launchPath: '/signin',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: false,
  },
  {
    name: 'notion',
    label: 'Notion',
    description: 'Team wiki, documents and project notes.',
    host: 'www.notion.so',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: false,
    requesterNote: 'Your workspace appears within a minute; ask in #help-notion if it does not.',
  },
  {
    name: 'figma',
    label: 'Figma',
    description: 'Interface design and prototyping.',
    host: 'www.figma.com',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: true,
    steps: [{ user: MANAGER, timeout: 'P2D', timeoutAction: 'EXPIRE' }],
    notes: [{ kind: 'NOTE', body: 'Editor seats are paid; viewers can use a free link instead.' }],
  },
  {
    name: 'jira',
    label: 'Jira',
    description: 'Issue tracking for engineering and support.',
    host: 'example.atlassian.net',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: true,
    steps: [{ group: IT_OPERATIONS, timeout: 'P5D', timeoutAction: 'DENY' }],
  },
  {
    name: 'github',
    label: 'GitHub',
    description: 'Source code, pull requests and CI for the engineering org.',
    host: 'github.com',
    launchPath: '/orgs/example',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: true,
    requesterNote: 'Add your GitHub username to the justification.',
    steps: [
      {
        user: MANAGER,
        timeout: 'P2D',
        timeoutAction: 'ESCALATE',
        escalateTo: ADMIN,
        notificationMessage: 'Please confirm this person needs access to our source code.',
      },
      { group: IT_OPERATIONS, timeout: 'P5D', timeoutAction: 'EXPIRE' },
    ],
    notes: [
      {
        kind: 'NOTE',
        body: 'Seats are billed monthly; unused accounts are removed after 90 days.',
      },
      { kind: 'COMMENT', body: 'IT Operations adds new members to the right teams.' },
    ],
  },
  {
    name: 'salesforce',
    label: 'Salesforce',
    description: 'Customer records, pipeline and forecasts.',
    host: 'example.my.salesforce.com',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: true,
    requesterNote: 'Say which team you sell or support for.',
    steps: [
      { user: MANAGER, timeout: 'P2D', timeoutAction: 'APPROVE' },
      { group: FINANCE_APPROVERS, timeout: 'P5D', timeoutAction: 'DENY' },
    ],
  },
  {
    name: 'workday',
    label: 'Workday',
    description: 'Payroll, time off and people records.',
    host: 'www.myworkday.com',
    launchPath: '/example',
    signOnMode: 'SAML_2_0',
    requestable: true,
    approvalRequired: true,
    requesterNote: 'Only for people who manage payroll or hiring.',
    steps: [
      { user: MANAGER, timeout: 'P2D', timeoutAction: 'ESCALATE', escalateTo: ADMIN },
      { group: FINANCE_APPROVERS, timeout: 'P5D', timeoutAction: 'DENY' },
      { user: ADMIN, timeout: 'P5D', timeoutAction: 'EXPIRE' },
    ],
    notes: [{ kind: 'COMMENT', body: 'Holds personal data: the final sign-off stays with IT.' }],
  },
  {
    name: 'aws-console',
    label: 'AWS Console',
    description: 'Amazon Web Services management console.',
    host: 'console.aws.amazon.com',
    signOnMode: 'SAML_2_0',
    requestable: false,
    approvalRequired: true,
    notes: [{ kind: 'NOTE', body: 'Granted by IT Operations through an infrastructure ticket.' }],
    assignedTo: ['carol@example.com'],
  },
  {
    name: 'google-workspace',
    label: 'Google Workspace',
    description: 'Mail, calendar and documents; everyone has it from day one.',
    host: 'workspace.google.com',
    signOnMode: 'SAML_2_0',
    requestable: false,
    approvalRequired: false,
    assignedTo: ['alice@example.com', MANAGER],
  },
];

/** Bookmarks people added for themselves; two people share the first one. */
export const DEMO_PERSONAL_APPS: { user: string; name: string; url: string }[] = [
  { user: 'alice@example.com', name: 'Hacker News', url: 'https://news.ycombinator.com/' },
  { user: MANAGER, name: '  hacker   news ', url: 'https://News.YCombinator.com' },
  { user: 'carol@example.com', name: 'Grafana', url: 'https://grafana.example.com/dashboards/' },
  { user: 'dave@example.com', name: 'Team Lunch Menu', url: 'https://lunch.example.org/menu' },
];
