/** Editors attached to a running session. */
export interface EditorInvoke {
  /**
   * Opens VS Code attached to the session's container (Dev Containers; over Remote-SSH for a host
   * session) at the project's folder inside it, with `code --folder-uri`; answers the URI used.
   */
  sessionOpenCode: (req: { id: string }) => { uri: string };
}
