import { TolerantUpload } from '../common/upload.interceptor.js';
import { MAX_EVIDENCE_BYTES } from './evidence.store.js';

/** The evidence photo of a record or a declaration: JPEG or PNG, at most 5 MB. */
export const PhotoUploadInterceptor = TolerantUpload('photo', MAX_EVIDENCE_BYTES, '照片不能超过 5 MB');
