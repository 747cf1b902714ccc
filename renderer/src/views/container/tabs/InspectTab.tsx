import type { ContainerInspect } from '../../../../../engine/inspect';
import { JsonView } from '../../../components/JsonView';

/** `strata inspect`: the container's metadata in Docker's shape. */
export function InspectTab({ value }: { value: ContainerInspect }) {
  return <JsonView value={[value]} label="inspect output" />;
}
