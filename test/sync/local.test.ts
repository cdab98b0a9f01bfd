import { defineSyncSuite } from './suite';
import { syncFixture, syncTestImage } from './support';

const image = syncTestImage();

// Cancelling aborts the engine request mid-stream: the local stand-in for a cut connection.
if (image) {
  defineSyncSuite('two-way notebook sync with a volume on the local engine', async () => {
    const fixture = await syncFixture({ image });
    return { fixture, cut: (opId) => fixture.core.ops.cancel(opId), cutCodes: ['CANCELLED'] };
  });
}
