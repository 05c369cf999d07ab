/**
 * @module analyze/behaviour
 * Behavioural analysis over event time: the engine, its options and findings, snapshots, and the
 * generator of realistic streams its tests (and benchmarks) run on.
 */
export { BehaviourEngine, type BehaviourStats } from './engine.js';
export { behaviourFields, behaviourKinds, describeFinding, type BehaviourFinding, type BehaviourKind, type BehaviourSeverity, type SummaryLanguage } from './findings.js';
export { defaultBehaviourOptions, resolveBehaviourOptions, type BehaviourOptions } from './options.js';
export { BehaviourSnapshotError, snapshotVersion, type BehaviourCounters, type BehaviourSnapshot } from './snapshot.js';
