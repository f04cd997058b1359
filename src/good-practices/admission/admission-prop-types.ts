import { boolean, listOf, optional, string, struct, StructType } from '../../common/prop-types';

/** The JavaScript types of `DraGoodPracticesAdmissionProps` (src/common/prop-types.ts). */
export const DRA_GOOD_PRACTICES_ADMISSION_PROPS: StructType = struct('DraGoodPracticesAdmissionProps', () => ({
  rules: optional(listOf(string)),
  denyRules: optional(listOf(string)),
  denyAll: optional(boolean),
  registrationDirs: optional(listOf(string)),
  namePrefix: optional(string),
}));
