/**
 * Role assignments as a domain service: the assignment's id, its role, the principal (in the
 * scope's tenant, of the type the request says), no condition, no change to an existing
 * assignment and no duplicate; each change publishes a `grant` event. The ARM handlers
 * (management/resources/role-assignments.ts) resolve and authorize the scope, parse the body,
 * call this, and render.
 */
import { roleById } from '../access/roles.js';
import { ArmError, armErrors, armText, armReason } from '../kernel/arm-errors.js';
import type { IdentityIndex, IdentityType, RoleAssignmentIndex, RoleAssignmentRecord } from '../storage/metadata/access-records.js';
import type { ChangeEvents } from './change-events.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RoleAssignmentServiceDeps {
  roleAssignments: Pick<RoleAssignmentIndex, 'get' | 'list' | 'create' | 'delete'>;
  identities: Pick<IdentityIndex, 'get'>;
  events: ChangeEvents;
}

/** Where an assignment goes: the scope in canonical spelling, and the tenant of its subscription. */
interface AssignmentPlace {
  scope: string;
  tenantId: string;
}

export interface AssignmentRequest {
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  condition?: string;
}

/** ARM shows managed identities as service principals. */
export function armPrincipalType(type: IdentityType): string {
  return type === 'ManagedIdentity' ? 'ServicePrincipal' : type;
}

function sameScope(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export class RoleAssignmentService {
  constructor(private readonly deps: RoleAssignmentServiceDeps) {}

  /**
   * Creates the assignment `name` (a GUID) at the place; an identical existing one is returned
   * as it is (`created` false). `read` gives the request's fields once the name passed.
   */
  async create(place: AssignmentPlace, name: string, read: () => Promise<AssignmentRequest>): Promise<{ record: RoleAssignmentRecord; created: boolean }> {
    const { roleAssignments, identities } = this.deps;
    if (!GUID.test(name)) throw new ArmError(400, 'InvalidRoleAssignmentId', armText('invalidRoleAssignmentId', { name }));
    const request = await read();
    const role = roleById(request.roleDefinitionId);
    if (!role) throw new ArmError(400, 'RoleDefinitionDoesNotExist', armText('roleDefinitionNotFound', { id: request.roleDefinitionId }));
    if (request.condition !== undefined && request.condition.trim() !== '') {
      throw armErrors.featureNotSupported('properties.condition', armReason('roleConditions'));
    }
    const principal = await identities.get(request.principalId.toLowerCase());
    if (!principal || principal.tenantId !== place.tenantId) throw armErrors.principalNotFound(request.principalId, place.tenantId);
    const principalType = request.principalType;
    if (principalType !== undefined && ![principal.type, armPrincipalType(principal.type)].some((t) => t.toLowerCase() === principalType.toLowerCase())) {
      throw new ArmError(
        400,
        'UnmatchedPrincipalType',
        armText('unmatchedPrincipalType', { principalId: principal.objectId, actual: armPrincipalType(principal.type), requested: principalType }),
      );
    }
    const id = name.toLowerCase();
    const { scope } = place;
    const existing = await roleAssignments.get(id);
    if (existing) {
      if (sameScope(existing.scope, scope) && existing.roleName === role.name && existing.principalId === principal.objectId) {
        return { record: existing, created: false };
      }
      throw armErrors.conflict('RoleAssignmentUpdateNotPermitted', armReason('roleUpdateNotPermitted'));
    }
    const duplicate = (await roleAssignments.list(scope)).find(
      (a) => sameScope(a.scope, scope) && a.roleName === role.name && a.principalId === principal.objectId,
    );
    if (duplicate) {
      throw armErrors.conflict('RoleAssignmentExists', armReason('roleAssignmentExists', { id: duplicate.id }));
    }
    const record: RoleAssignmentRecord = {
      id,
      scope,
      roleName: role.name,
      principalId: principal.objectId,
      principalType: principal.type,
      createdAt: new Date().toISOString(),
    };
    await roleAssignments.create(record);
    this.deps.events.publish({ kind: 'grant' });
    return { record, created: true };
  }

  /** The assignment `name` at `scope`, if there is one. */
  async find(scope: string, name: string): Promise<RoleAssignmentRecord | undefined> {
    const assignment = await this.deps.roleAssignments.get(name.toLowerCase());
    return assignment && sameScope(assignment.scope, scope) ? assignment : undefined;
  }

  /** Deletes the assignment `name` at `scope`; returns it, or undefined when there was none. */
  async delete(scope: string, name: string): Promise<RoleAssignmentRecord | undefined> {
    const assignment = await this.find(scope, name);
    if (!assignment) return undefined;
    await this.deps.roleAssignments.delete(assignment.id);
    this.deps.events.publish({ kind: 'grant' });
    return assignment;
  }
}
