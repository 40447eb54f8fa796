/** `GET /api/health`: does the database answer. */
export { databaseAnswers } from '@/db/store/health';
