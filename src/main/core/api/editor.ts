import type { EditorInvoke } from '../../../shared/contract/editor';
import type { Core } from '../core';
import { runCode, vscodeUriFor } from '../editor/vscode';
import type { HandlersFor } from './types';

export function editorHandlers(core: Core): HandlersFor<EditorInvoke> {
  return {
    sessionOpenCode: async ({ id }) => {
      const session = await core.sessions.getMine(id, 'open in VS Code');
      const uri = await vscodeUriFor(session, {
        inspect: (s) => core.engines.call(s.target, 'inspect the session container', (d) => d.getContainer(s.name).inspect()),
        host: (target) => core.settings.get('hosts').find((h) => h.id === target),
        env: core.env,
      });
      await runCode(uri, core.env);
      core.log.child('editor').info('opened VS Code', { session: id, uri });
      return { uri };
    },
  };
}
