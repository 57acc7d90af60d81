import { ViewHeading } from '../ui/ViewHeading.js';
import { EmptyHistory } from './EmptyHistory.js';

export function ConcertsView() {
  return (
    <>
      <ViewHeading title="Concert History">Your concerts</ViewHeading>
      <EmptyHistory />
    </>
  );
}
