export { startEmailReports, type EmailReportListener } from './listener.js';
export { classifyReport } from './rules.js';
