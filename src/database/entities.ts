import { AuditLog } from '../audit/audit-log.entity.js';
import { Session } from '../auth/session.entity.js';
import { Household } from '../households/household.entity.js';
import { Township } from '../townships/township.entity.js';
import { User } from '../users/user.entity.js';
import { Group } from '../villages/group.entity.js';
import { Village } from '../villages/village.entity.js';

export const ENTITIES = [Township, Village, Group, Household, User, Session, AuditLog];
