/**
 * What monitoring needs from the agent link (apps/server's WebSocket endpoint for site agents),
 * injected on AppContext as `agentLink` so that monitoring does not import the link.
 */
export interface AgentLink {
  /** Asks the connected agent to run the check now; false when the agent is not connected. */
  runNow(agentId: string, checkId: string): Promise<boolean>;
  /** The checks assigned to this agent changed (created, edited, deleted, paused): resend its assignment. */
  assignmentsChanged(agentId: string): void;
}

/** Used until the link is wired in: no agent is ever connected. */
export const noAgentLink: AgentLink = {
  runNow: async () => false,
  assignmentsChanged: () => {},
};
