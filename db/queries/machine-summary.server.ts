/**
 * A machine with its model and location: the shape every machine list, picker and label sheet starts from. Lives
 * apart from ./machines.ts so any query module can use it without an import cycle (machines.ts imports
 * collections.ts).
 */
import type { MachineListing } from "../../core/machines";
import { locations, machines, models } from "../schema";

export interface MachineSummary extends MachineListing {
  locationId: string;
}

/** The columns of `MachineSummary`, for a query that joins Model on Machine.modelId and Location on Machine.locationId. */
export const machineSummaryColumns = {
  id: machines.id,
  name: machines.name,
  modelName: models.name,
  manufacturer: models.manufacturer,
  year: models.year,
  locationId: locations.id,
  locationName: locations.name,
};
