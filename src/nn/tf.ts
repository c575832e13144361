// TensorFlow.js as the tutor uses it: the core ops, the Layers API and the plain-JS CPU backend, without the
// umbrella @tensorflow/tfjs (which adds the 22 MB WebGL backend, the converter and the data API, none used here).
// Every caller imports tf from this one module so all of them share one tfjs-core and so one kernel registry.
// The umbrella also registers the chained tensor methods (t.reshape()); we call the functions (tf.reshape(t)).
import '@tensorflow/tfjs-backend-cpu';
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

/** Versions of the parts in use (the umbrella's `tf.version` had the same shape). */
export const version = { 'tfjs-core': version_core, 'tfjs-layers': version_layers, tfjs: version_core } as const;
