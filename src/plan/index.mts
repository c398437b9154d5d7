// src/plan's public surface: the plan contract between extraction (which writes plans) and the
// runner (which executes them), and where runbooks and their runtime live. Imports nothing else
// from src/.
export {inlineRuntime, planFile, RUNBOOKS_DIR, RUNTIME_BESIDE_SCRIPT, RUNTIME_EXPORT, RUNTIME_FILE, RUNTIME_IMPORT, scriptFile} from './files.mts';
export {RESOLVER_HELP, RESOLVER_NAMES, type ResolverName, RUNTIME_FLAGS, RUNTIME_OPTIONS} from './names.mts';
export {paramSpans, paramValueProblem, showsDefault, substituteParams} from './params.mts';
export {describeOrigin, diagnosisSteps, ID_PATTERN, PARAM_TYPES, type ParamSpec, type ParamType, PLAN_FORMAT, type RunbookOrigin, type RunbookPlan, type Step, STEP_KINDS, type StepKind, undoneByUndo} from './plan.mts';
export {LOADER_HELD_SIGNALS, servedWholeFile, WHOLE_FILE_END, wholeFileGuard} from './whole-file.mts';
